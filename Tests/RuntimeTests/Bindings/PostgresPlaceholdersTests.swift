import Testing
@testable import OzziRuntime

/// `?` becomes `$n` only where it is a parameter: never inside a literal, a quoted name or a comment.
@Suite struct PostgresPlaceholdersTests {
    func translated(_ sql: String) -> String { PostgresPlaceholders.translate(sql).sql }

    @Test func parametersAreNumberedInOrder() {
        #expect(PostgresPlaceholders.translate("SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?") ==
                ("SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4", 4))
        #expect(PostgresPlaceholders.translate("SELECT 1") == ("SELECT 1", 0))
    }

    @Test func questionMarksInStringLiteralsStay() {
        #expect(translated("SELECT 'why?' , ?") == "SELECT 'why?' , $1")
        #expect(translated("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1")
        #expect(translated(#"SELECT E'a\'?', ?"#) == #"SELECT E'a\'?', $1"#)
        // In a standard literal a backslash is just a character: the quote after it ends the literal.
        #expect(translated(#"SELECT 'a\', ?"#) == #"SELECT 'a\', $1"#)
        #expect(translated("SELECT $$ ? $$, $tag$ it's ? $tag$, ?") == "SELECT $$ ? $$, $tag$ it's ? $tag$, $1")
    }

    @Test func questionMarksInQuotedNamesAndCommentsStay() {
        #expect(translated(#"SELECT "what?" FROM t WHERE x = ?"#) == #"SELECT "what?" FROM t WHERE x = $1"#)
        #expect(translated("SELECT ? -- really?\n, ?") == "SELECT $1 -- really?\n, $2")
        #expect(translated("SELECT /* a ? /* nested ? */ still ? */ ?") == "SELECT /* a ? /* nested ? */ still ? */ $1")
    }

    @Test func anUnterminatedLiteralIsLeftForTheServerToRefuse() {
        #expect(translated("SELECT 'open ?") == "SELECT 'open ?")
        #expect(translated("SELECT ? /* open ?") == "SELECT $1 /* open ?")
    }

    @Test func aDollarParameterIsNotTakenForADollarQuote() {
        #expect(PostgresPlaceholders.translate("SELECT $1 || 'x?' WHERE a = $2") == ("SELECT $1 || 'x?' WHERE a = $2", 0))
    }

    @Test func theURLShownHasItsPasswordMasked() {
        #expect(PostgresURL.masked("postgresql://ozzi:s3cret@db.internal:5432/app") == "postgresql://ozzi:***@db.internal:5432/app")
        #expect(PostgresURL.masked("postgres://ozzi@db/app") == "postgres://ozzi@db/app")
        #expect(PostgresURL.masked("postgresql://ozzi:p%40ss@db/app?sslmode=require") == "postgresql://ozzi:***@db/app?sslmode=require")
        #expect(PostgresURL.masked("postgresql://db/app?user=ozzi&password=s3cret&sslmode=require")
                == "postgresql://db/app?user=ozzi&password=***&sslmode=require")
        #expect(PostgresURL.masked("host=db user=ozzi password=s3cret dbname=app") == "host=db user=ozzi password=*** dbname=app")
    }
}
