(ns ion.dispatcher
  "The cluster side of the Lambda proxies (infra/lambda-proxy): an HTTP listener for AppEndpoint
  that calls the functions datomic/ion-config.edn names, and nothing else.

    x-ion-integration: none               POST {\"input\": \"<event JSON>\", \"context\": {…}};
                                          the :lambdas :fn gets {:input input :context context}
    x-ion-integration: api-gateway/proxy  the API Gateway request; the :lambdas :fn is a ring handler
    no x-ion-fn                           the :http-direct :handler-fn, if any, as a ring handler
    GET /health (no x-ion-fn)             200, for ION_HEALTH_URL

  Run it with `clojure.main -m ion.dispatcher`, or call `start!` from your own -main.
  Environment: ION_PORT (8182; 0 picks a free port), ION_BIND (0.0.0.0), ION_THREADS (32).
  Only the JDK's HTTP server and clojure.data.json; see docs/infra.md."
  (:require [clojure.data.json :as json]
            [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.string :as str])
  (:import (com.sun.net.httpserver HttpExchange HttpHandler HttpServer)
           (java.io File InputStream)
           (java.net InetSocketAddress)
           (java.nio.charset StandardCharsets)
           (java.util.concurrent ExecutorService Executors)
           (java.util.concurrent.atomic AtomicLong)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; What may be called

(defn- read-ion-config []
  (let [url (or (io/resource "datomic/ion-config.edn")
                (throw (ex-info "datomic/ion-config.edn is not on the classpath (add your resources directory)" {})))]
    (edn/read-string (slurp url))))

(defn- resolve-fn
  "Resolved when the listener starts, so that a name that does not load fails the start (and so
  the deployment's ValidateService) rather than the first invocation."
  [sym]
  (or (try (requiring-resolve sym)
           (catch Exception e
             (throw (ex-info (str "ion-config names " sym ", which does not load: " (ex-message e)) {:fn sym} e))))
      (throw (ex-info (str "ion-config names " sym ", which does not exist") {:fn sym}))))

(defn- routes-of
  "The only functions a request can reach: integration → {fn-symbol var}. Vars, not their values,
  so that redefining a fn at the REPL takes effect."
  [config]
  (let [lambdas (vals (:lambdas config))
        table (fn [proxy?]
                (into {} (for [{f :fn i :integration} lambdas
                               :when (= proxy? (= i :api-gateway/proxy))]
                           [f (resolve-fn f)])))]
    {:app (:app-name config)
     "none" (table false)
     "api-gateway/proxy" (table true)
     :http-direct (some-> config :http-direct :handler-fn resolve-fn)}))

;; ---------------------------------------------------------------------------------------------
;; HTTP

(defn- body-out
  "Checked before anything is sent, so that a body we cannot write is still a clean 500."
  [body]
  (cond (nil? body) nil
        (string? body) (.getBytes ^String body StandardCharsets/UTF_8)
        (bytes? body) body
        (seq? body) (.getBytes ^String (apply str body) StandardCharsets/UTF_8)
        (instance? InputStream body) body
        (instance? File body) (io/input-stream body)
        :else (throw (ex-info (str "cannot send a body of type " (.getName (class body))) {}))))

(defn- respond!
  "Sends a ring-style response: header values may be strings or seqs of them (Set-Cookie)."
  [^HttpExchange ex status headers body]
  (let [body (body-out body)
        none? (or (nil? body) (and (bytes? body) (zero? (alength ^bytes body)))
                  (= "HEAD" (.getRequestMethod ex)) (= 204 status) (= 304 status))
        out-headers (.getResponseHeaders ex)]
    (doseq [[k v] headers, v (if (sequential? v) v [v])]
      (.add out-headers (name k) (str v)))
    ;; The JDK server's content length: -1 for no body, 0 for chunked.
    (.sendResponseHeaders ex status (cond none? -1 (bytes? body) (alength ^bytes body) :else 0))
    ;; handle closes the exchange, which ends the body; a stream body is closed even when unsent.
    (if (instance? InputStream body)
      (with-open [^InputStream in body] (when-not none? (io/copy in (.getResponseBody ex))))
      (when-not none? (.write (.getResponseBody ex) ^bytes body)))))

(defn- text! [ex status msg]
  (respond! ex status {"content-type" "text/plain; charset=utf-8"} msg))

(defn- remote-addr
  "The caller's address. Through a Lambda proxy (proxied?), x-ion-source-ip: the proxy always sets
  it from API Gateway's record of the connection and drops any the caller sent, while X-Forwarded-For
  holds whatever the caller wrote. Otherwise (http-direct, or a proxy event without a source) the
  socket's peer: the load balancer, or the caller itself. A direct caller's x-ion-source-ip is
  ignored, so only who can reach this port as a proxy can name an address (keep it private)."
  [^HttpExchange ex proxied?]
  (or (when proxied? (some-> (.getFirst (.getRequestHeaders ex) "x-ion-source-ip") str/trim not-empty))
      (.getHostAddress (.getAddress (.getRemoteAddress ex)))))

(defn- ring-request [^HttpExchange ex proxied?]
  (let [uri (.getRequestURI ex)
        local (.getLocalAddress ex)
        ;; Ring joins repeated headers with commas.
        headers (into {} (for [[k vs] (.getRequestHeaders ex)] [(str/lower-case k) (str/join "," vs)]))]
    {:request-method (keyword (str/lower-case (.getRequestMethod ex)))
     :uri (.getRawPath uri)
     :query-string (.getRawQuery uri)
     :headers headers
     :body (.getRequestBody ex)
     :protocol (.getProtocol ex)
     :server-name (or (some-> (headers "host") (str/replace #":\d+$" "")) (.getHostString local))
     :server-port (.getPort local)
     :remote-addr (remote-addr ex proxied?)
     ;; Only the two schemes ring knows, whatever a caller writes in the header.
     :scheme (if (= "https" (some-> (headers "x-forwarded-proto") str/trim str/lower-case)) :https :http)}))

(defn- call-ring [^HttpExchange ex handler proxied?]
  (let [{:keys [status headers body] :as res} (handler (ring-request ex proxied?))]
    (when-not (and (map? res) (integer? status))
      (throw (ex-info (str "expected a ring response map with an integer :status, got " (pr-str (type res))) {})))
    (respond! ex status headers body)))

(defn- call-lambda [^HttpExchange ex f]
  (let [{:keys [input context] :as body}
        (try (json/read (io/reader (.getRequestBody ex) :encoding "UTF-8") :key-fn keyword)
             (catch Exception _ nil))]
    (if-not (and (map? body) (or (string? input) (nil? input)))
      (text! ex 400 "expected a JSON body {\"input\": \"<the Lambda event as JSON text>\", \"context\": {...}}")
      (let [result (f {:input input :context context})]
        ;; An Ion lambda returns text; the proxy hands text back as the Lambda's string result and
        ;; parses JSON, so any other data goes back as JSON.
        (if (or (string? result) (bytes? result) (instance? InputStream result) (instance? File result))
          (text! ex 200 result)
          (respond! ex 200 {"content-type" "application/json"} (json/write-str result)))))))

(defn- dispatch [routes ^HttpExchange ex]
  (let [h (.getRequestHeaders ex)
        fn-name (.getFirst h "x-ion-fn")
        integration (.getFirst h "x-ion-integration")
        app (.getFirst h "x-ion-app")
        method (.getRequestMethod ex)]
    (cond
      (and (nil? fn-name) (= "/health" (.getRawPath (.getRequestURI ex))) (#{"GET" "HEAD"} method))
      (text! ex 200 "ok")

      (nil? fn-name)
      (if-let [handler (:http-direct routes)]
        (call-ring ex handler false)
        (text! ex 400 (str "expected a request from an ion Lambda proxy (x-ion-fn and x-ion-integration headers), "
                           "or GET /health; ion-config has no :http-direct handler for other requests")))

      ;; Two applications behind one endpoint is a misconfiguration worth naming.
      (and (seq app) (:app routes) (not= app (:app routes)))
      (text! ex 400 (str "this is the listener of " (:app routes) ", not of " app ": check the stack's AppEndpoint"))

      (not (contains? routes integration))
      (text! ex 400 (str "expected x-ion-integration none or api-gateway/proxy, "
                         (if integration (str "got " (pr-str integration)) "but there is none")))

      :else
      (if-let [f (get-in routes [integration (symbol fn-name)])]
        (cond (= integration "api-gateway/proxy") (call-ring ex f true)
              (= method "POST") (call-lambda ex f)
              :else (text! ex 405 "plain lambdas are invoked with POST"))
        (do (binding [*out* *err*]
              (println "ion.dispatcher: refused" fn-name "from" (str (.getRemoteAddress ex))))
            (text! ex 403 (str fn-name " is not the :fn of a :lambdas entry with "
                               (if (= integration "none") "no :integration" ":integration :api-gateway/proxy")
                               " in datomic/ion-config.edn; this listener calls nothing else")))))))

(defn- handle [routes draining? ^AtomicLong in-flight ^HttpExchange ex]
  (.incrementAndGet in-flight)
  (try
    (if @draining?
      (text! ex 503 "shutting down")
      (dispatch routes ex))
    (catch Throwable t
      (let [h (.getRequestHeaders ex)]
        (binding [*out* *err*]
          (println (str "ion.dispatcher: " (or (.getFirst h "x-ion-fn") "http-direct handler") " failed"
                        (some->> (.getFirst h "x-ion-request-id") not-empty (str ", request "))))
          (.printStackTrace t))
        ;; Once the status line is out, the client can only see a cut-off body.
        (when (neg? (.getResponseCode ex))
          (try (text! ex 500 (cond-> (.getName (class t)) (ex-message t) (str ": " (ex-message t))))
               (catch Throwable _)))))
    (finally
      (.decrementAndGet in-flight)
      (.close ex))))

;; ---------------------------------------------------------------------------------------------
;; Lifecycle

(defonce ^:private running (atom nil))

(defn- env [k default] (or (not-empty (System/getenv k)) default))

(defn stop!
  "Answers new requests 503, lets the ones in flight finish (up to grace-ms), then closes.
  (JDK 17's HttpServer.stop always waits its whole delay, so the draining is done here.)"
  ([] (stop! 10000))
  ([grace-ms]
   (when-let [{:keys [^HttpServer server ^ExecutorService executor ^AtomicLong in-flight draining?]} @running]
     (reset! draining? true)
     (let [deadline (+ (System/currentTimeMillis) grace-ms)]
       (while (and (pos? (.get in-flight)) (< (System/currentTimeMillis) deadline))
         (Thread/sleep 20)))
     (.stop server 0)
     (.shutdownNow executor)
     (reset! running nil)
     nil)))

(defn start!
  "Reads ion-config, resolves its fns and starts listening; returns the bound port.
  Options default to the environment: :port ION_PORT, :host ION_BIND, :threads ION_THREADS."
  [& {:keys [port host threads]
      :or {port (parse-long (env "ION_PORT" "8182"))
           host (env "ION_BIND" "0.0.0.0")
           threads (parse-long (env "ION_THREADS" "32"))}}]
  (when-not (and port threads)
    (throw (ex-info "ION_PORT and ION_THREADS must be integers" {})))
  (stop!)
  (let [routes (routes-of (read-ion-config))
        draining? (atom false)
        in-flight (AtomicLong.)
        server (HttpServer/create (InetSocketAddress. ^String host (int port)) 0)
        ;; Bounded: a burst of Lambda invocations queues rather than exhausting the JVM's threads.
        executor (Executors/newFixedThreadPool threads)]
    (.createContext server "/" (reify HttpHandler
                                 (handle [_ ex] (handle routes draining? in-flight ex))))
    (.setExecutor server executor)
    (.start server)
    (reset! running {:server server :executor executor :in-flight in-flight :draining? draining?})
    (let [bound (.getPort (.getAddress server))
          n (+ (count (routes "none")) (count (routes "api-gateway/proxy")) (if (:http-direct routes) 1 0))]
      (println (str "ion.dispatcher: " (:app routes) " listening on " host ":" bound " (" n " fns)"))
      bound)))

(defn -main [& _]
  (try
    (start!)
    ;; systemd stops the unit with SIGTERM: finish what is in flight first.
    (.addShutdownHook (Runtime/getRuntime) (Thread. ^Runnable stop!))
    (catch Exception e
      (binding [*out* *err*]
        (println "ion.dispatcher: cannot start:" (ex-message e)))
      (System/exit 1))))
