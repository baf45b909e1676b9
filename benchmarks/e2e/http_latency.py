# Clients on kept-alive connections POST one JSON event per request for SECONDS; prints requests/s, p50, p99.
# python3 http_latency.py THREADS SECONDS PORT (benchmarks/e2e/http-latency.sh runs it)
import http.client, json, sys, threading, time
threads, seconds, port = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
lat, codes, lock = [], {}, threading.Lock()
stop = time.time() + seconds
def work(k):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    n = 0
    while time.time() < stop:
        body = json.dumps({'t': k, 'n': n}).encode(); n += 1
        t0 = time.perf_counter()
        c.request('POST', '/', body, {'Content-Type': 'application/json'})
        r = c.getresponse(); r.read()
        dt = time.perf_counter() - t0
        with lock:
            lat.append(dt); codes[r.status] = codes.get(r.status, 0) + 1
ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
lat.sort()
print('threads %d: %d requests in %.0f s = %.0f req/s, p50 %.1f ms, p99 %.1f ms, codes %s' % (threads, len(lat), seconds, len(lat)/seconds, lat[len(lat)//2]*1000, lat[int(len(lat)*0.99)]*1000, codes))
