-- sysbench script for proxy_mysql_prepared_placement: inserts and reads back the keys in
-- the KEYS environment variable through server-side prepared statements (the shard key is a
-- bound parameter), then prints "found KEY ROWS" for each key read back (sysbench does not
-- fetch values of prepared statement results, only counts rows).
function event()
   local drv = sysbench.sql.driver()
   local con = drv:connect()
   local insert = con:prepare("INSERT INTO users (id, name) VALUES (?, ?)")
   local key = insert:bind_create(sysbench.sql.type.BIGINT)
   local name = insert:bind_create(sysbench.sql.type.VARCHAR, 100)
   insert:bind_param(key, name)
   local select = con:prepare(
      "SELECT name FROM users WHERE id = ? /* shardgate: primary */")
   local wanted = select:bind_create(sysbench.sql.type.BIGINT)
   select:bind_param(wanted)
   for k in string.gmatch(os.getenv("KEYS"), "%d+") do
      key:set(tonumber(k))
      name:set("ps" .. k)
      insert:execute()
   end
   for k in string.gmatch(os.getenv("KEYS"), "%d+") do
      wanted:set(tonumber(k))
      local rs = select:execute()
      print("found " .. k .. " " .. tostring(rs.nrows))
      rs:free()
   end
   insert:close()
   select:close()
   con:disconnect()
end
