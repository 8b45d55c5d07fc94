-- wrk script: each request takes the next path from the file named by the
-- PATHS environment variable (one path a line), round robin per thread.
local paths = {}
local i = 0

init = function(args)
  for line in io.lines(os.getenv("PATHS")) do
    paths[#paths + 1] = line
  end
  i = math.random(#paths)
end

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
