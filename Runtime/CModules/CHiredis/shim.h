// hiredis's async API only: the runtime drives it on its own libuv loops (RedisSocketWatch), not through
// hiredis's adapters/libuv.h, whose poll handle would not follow the runtime's handle ownership.
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
