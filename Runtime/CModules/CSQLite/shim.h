#include <sqlite3.h>

/// `sqlite3_config` for the options that take one int (`SQLITE_CONFIG_MEMSTATUS`, `SQLITE_CONFIG_STMTJRNL_SPILL`):
/// it is variadic, which Swift cannot call; this wrapper can. It only takes effect before SQLite initializes (the
/// process's first open); later it answers SQLITE_MISUSE. Why each is set: `SQLiteConnection.configured`.
static inline int ozzi_sqlite3_config_int(int option, int value) {
    return sqlite3_config(option, value);
}
