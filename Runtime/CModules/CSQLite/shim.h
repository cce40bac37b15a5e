#include <sqlite3.h>

/// SQLite counts every allocation in its memory statistics by default, under a global mutex (two lock calls per
/// `sqlite3_malloc`); nothing here reads them. `sqlite3_config` is variadic, which Swift cannot call: this wrapper
/// can. It only takes effect before SQLite initializes (the process's first open); later it answers SQLITE_MISUSE.
static inline int ozzi_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// A statement that may fail halfway inside a transaction (an UPDATE or INSERT of many rows under a UNIQUE
/// index) keeps the pages it changes in a statement journal, to undo just itself. SQLite keeps that journal
/// in memory up to 64 KiB and then moves it to a temporary file: a batched statement of a few hundred rows
/// passes that, and every page it touches becomes a `pwrite` (4% of a campaign email's CPU). `bytes` is the
/// new bound (a negative one never spills). Before the first open only, like the above.
static inline int ozzi_sqlite3_statement_journal_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}
