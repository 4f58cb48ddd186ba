;; Run by validate-service.sh on the new revision's classpath:
;;   java -cp <classpath> clojure.main check_vars.clj <vars-file>
;; <vars-file> has one "ns/name<TAB>where ion-config names it" per line. Loads every namespace and
;; resolves every var, printing one line per var that does not resolve, so a missing function fails
;; the deployment on the first instance instead of at the first call.
(ns ion.check-vars
  (:require [clojure.string :as str]))

(defn- one-line [^Throwable t]
  ;; Compiler errors wrap the useful message ("Unable to resolve symbol …") in a cause.
  (->> (iterate #(.getCause ^Throwable %) t)
       (take-while some?)
       (keep #(some-> (.getMessage ^Throwable %) str/trim not-empty))
       distinct
       (str/join ": ")
       (#(str/replace % #"\s*\n\s*" " "))))

(let [entries (->> (slurp (first *command-line-args*))
                   str/split-lines
                   (remove str/blank?)
                   (map #(str/split % #"\t" 2)))
      load-errors (atom {})
      load! (fn [ns-sym]
              (when-not (contains? @load-errors ns-sym)
                (swap! load-errors assoc ns-sym
                       (try (require ns-sym) nil
                            (catch Throwable t (one-line t)))))
              (get @load-errors ns-sym))
      failures (vec
                (for [[sym-str where] entries
                      :let [sym (symbol sym-str)
                            ns-name (namespace sym)
                            problem (cond
                                      (nil? ns-name)
                                      "is not a qualified symbol (expected ns/name)"

                                      (load! (symbol ns-name))
                                      (str "cannot be loaded: namespace " ns-name " failed to load: "
                                           (load! (symbol ns-name)))

                                      (nil? (resolve sym))
                                      (str "not found: namespace " ns-name " loads but defines no var " (name sym))

                                      :else nil)]
                      :when problem]
                  (str "ion validate-service: FAILED: var " sym-str " (" where ") " problem)))]
  (doseq [line failures] (println line))
  (println (str "ion validate-service: " (count entries) " vars named by ion-config checked, "
                (count failures) " do not resolve"))
  (flush)
  (shutdown-agents)
  ;; Exit explicitly: namespaces may have started non-daemon threads.
  (System/exit (if (seq failures) 1 0)))
