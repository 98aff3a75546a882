-- sysbench script for failover_my_hash: reads every key in the KEYS environment variable
-- REPEAT times through a server-side prepared statement whose shard key is a bound BIGINT
-- parameter (COM_STMT_EXECUTE), then prints "done".
function event()
   local drv = sysbench.sql.driver()
   local con = drv:connect()
   local select = con:prepare("SELECT count(*) FROM sg_balance_keys WHERE k = ?")
   local wanted = select:bind_create(sysbench.sql.type.BIGINT)
   select:bind_param(wanted)
   for k in string.gmatch(os.getenv("KEYS"), "%d+") do
      for _ = 1, tonumber(os.getenv("REPEAT")) do
         wanted:set(tonumber(k))
         local rs = select:execute()
         rs:free()
      end
   end
   select:close()
   con:disconnect()
   print("done")
end
