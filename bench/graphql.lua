-- wrk script: a GraphQL POST of BENCH_BODY (a JSON body), with headers.lua's headers and non-2xx count.
dofile("bench/headers.lua")
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
