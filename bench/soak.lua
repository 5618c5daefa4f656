-- The soak: every other request is a write (a scheduled maintenance record for the heavy
-- owner's first vehicle), the rest read the dashboard. Placeholders are filled by bench/run.py.
-- Each write differs (its description), or MotoVault would store it once as a double submission;
-- the due date stays within the 30 years a service may be scheduled ahead.
-- wrk's threads start from one seed, so without this each thread's writes repeat the other's,
-- and a --reuse run's repeat the run before: MotoVault turns them away as double submissions.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + thread_number)
end
local function body()
  return "vehicle={{VEHICLE}}&kind=scheduled&type=tire_rotation&description=soak+" ..
    math.random(1, 1000000000) .. "&due_date=2040-12-31&due_mileage=&completed_date=&" ..
    "completed_mileage=&cost=&service_location=&interval_months=&interval_miles=&notes=soak"
end
local n = 0
request = function()
  n = n + 1
  if n % 2 == 0 then
    -- wrk.format replaces wrk.headers (cookie, proxy header) when given a table: copy them.
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = "{{CSRF}}"
    headers["Origin"] = "{{ORIGIN}}"
    headers["Referer"] = "{{ORIGIN}}/maintenance/add/"
    return wrk.format("POST", "/maintenance/add/", headers, body())
  end
  return wrk.format("GET", "/")
end
