#include <sqlite3.h>

/// SQLite counts every allocation in its memory statistics by default, under a global mutex (two lock calls per
/// `sqlite3_malloc`); nothing here reads them. `sqlite3_config` is variadic, which Swift cannot call: this wrapper
/// can. It only takes effect before SQLite initializes (the process's first open); later it answers SQLITE_MISUSE.
static inline int ozzi_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
