-- wrk script: the request headers a client of that endpoint sends.
local market = os.getenv("BENCH_MARKET")
local token = os.getenv("BENCH_TOKEN")
if market and market ~= "" then wrk.headers["X-Market"] = market end
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
wrk.headers["Accept"] = "application/json"

-- report non-2xx answers, so that a run that only measured errors is visible
function done(summary, latency, requests)
    io.write(string.format("non2xx %d\n", summary.errors.status))
end
