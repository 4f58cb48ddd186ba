(ns hello.web
  "The HTTP handler (:http-direct, and the :api Lambda through API Gateway)."
  (:require [clojure.data.json :as json]
            [hello.core :as core]))

(defn handler
  "A ring handler: GET /hello?name=Ada answers {\"message\": \"Hello, Ada!\"}."
  [{:keys [uri query-string]}]
  (if (= uri "/hello")
    (let [who (some->> query-string (re-find #"(?:^|&)name=([^&]*)") second)]
      {:status 200
       :headers {"content-type" "application/json"}
       :body (json/write-str {:message (core/greeting who)})})
    {:status 404
     :headers {"content-type" "text/plain"}
     :body "not found"}))
