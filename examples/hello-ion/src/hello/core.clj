(ns hello.core
  "Plain functions, and the Lambda ion that exposes one of them."
  (:require [clojure.data.json :as json]))

(defn greeting
  "The greeting for `who`. Listed under :allow, so queries may call it."
  [who]
  (str "Hello, " (if (seq who) who "world") "!"))

(defn greet
  "A Lambda ion: `input` is the Lambda event as JSON text, e.g. {\"name\": \"Ada\"}."
  [{:keys [input]}]
  (let [event (when (seq input) (json/read-str input :key-fn keyword))]
    (json/write-str {:message (greeting (:name event))})))
