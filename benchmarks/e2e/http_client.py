"""POSTs N events, one per request, from 4 threads to the http_java sample; writes each id's answer
(HTTP status, 0 when the connection failed) to results.json. Used by http.sh."""
import json, sys, threading, urllib.request, time
N = int(sys.argv[1]); results = {}; lock = threading.Lock()
def worker(k):
    for i in range(k, N, 4):
        try:
            req = urllib.request.Request("http://127.0.0.1:19880/", data=json.dumps({"id": i}).encode(), method="POST")
            with urllib.request.urlopen(req, timeout=10) as r:
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        except Exception as e:
            code = 0
            time.sleep(0.05)
        with lock:
            results[i] = code
t0 = time.time()
ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
json.dump(results, open("results.json", "w"))
codes = {}
for c in results.values(): codes[c] = codes.get(c, 0) + 1
print("sent", N, "in %.1f s" % (time.time() - t0), "answers:", codes)
