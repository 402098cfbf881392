package dev.junction.core.analysis;

import static dev.junction.core.analysis.Keywords.*;

import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.ServerAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * One analysis: a pull tokenizer over {@code sql[0, end)} with one token of look-ahead, and the small
 * recursive-descent reading on top of it. Used once, by one thread.
 */
final class Scan {

    static final int EOF = 0, WORD = 1, QIDENT = 2, STRING = 3, DQSTRING = 4, NUMBER = 5, SYMBOL = 6,
            OTHER_LITERAL = 7, VARIABLE = 8;

    private static final String TARGET_KEY = "target_db_server";

    private final String s;
    private final int end;
    private int pos;
    /** Inside an executable comment {@code /*! ... *}{@code /}: its content is statement text. */
    private boolean inExec;
    /** No token read yet: comments are leading comments. */
    private boolean leading = true;
    /** The text could not be tokenized (unterminated quote or comment, control character). */
    private boolean error;

    // the current token
    private int type;
    private int start;
    private int stop;
    private int kw = -1;
    private char sym;
    private boolean escaped;
    // the token before it
    private int prevType;
    private int prevKw = -1;
    private char prevSym;
    // parentheses: depth, and per open parenthesis (the first 64) whether it is a FROM-function's argument
    // list, and whether a predicate may start right after it
    private int depth;
    private long fromFunctionParens;
    private long predicateParens;

    // what was found
    private StatementType stmt = StatementType.OTHER;
    /** The statement's first keyword. */
    private int stmtKeyword = -1;
    private boolean withClause;
    private boolean seenFrom;
    private boolean insertSet;
    private boolean locking;
    private boolean more;
    private boolean weak;
    private boolean strong;
    private long timeout = -1;
    private ServerAddress target;
    private ArrayList<TableName> tables;
    private LinkedHashMap<String, List<String>> keys;

    Scan(String s, int end) {
        this.s = s;
        this.end = end;
    }

    Analysis run(boolean overLimit) {
        advance();
        boolean known = classify();
        if (overLimit || !known || error) {
            return new Analysis(s, stmt, false, overLimit, null, null, weak, strong, timeout, target, false, false);
        }
        prefix();
        body();
        if (error) {
            return new Analysis(s, stmt, false, false, null, null, weak, strong, timeout, target, false, more);
        }
        return new Analysis(s, stmt, true, false, tables, keys, weak, strong, timeout, target, locking, more);
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * Reads the first keyword(s) into {@link #stmt}, leaving the token after them current; false when the
     * text does not start like a statement (nothing, or not a word).
     */
    private boolean classify() {
        if (type == SYMBOL && sym == '(') {
            while (type == SYMBOL && sym == '(') {
                advance();
            }
            if (type == WORD && (kw == SELECT || kw == WITH)) {
                stmt = StatementType.SELECT;
                return true;
            }
            return type != EOF && !error;
        }
        if (type != WORD) {
            return false;
        }
        int first = kw;
        advance();
        switch (first) {
            case SELECT: stmt = StatementType.SELECT; break;
            case WITH: stmt = StatementType.SELECT; withClause = true; break;
            case TABLE: stmt = StatementType.SELECT; break;
            case INSERT: stmt = StatementType.INSERT; break;
            case REPLACE: stmt = StatementType.REPLACE; break;
            case UPDATE: stmt = StatementType.UPDATE; break;
            case DELETE: stmt = StatementType.DELETE; break;
            case LOAD:
                if (type == WORD && (kw == DATA || kw == XML)) {
                    stmt = StatementType.LOAD_DATA;
                    advance();
                }
                break;
            case BEGIN: stmt = StatementType.BEGIN; break;
            case START:
                if (type == WORD && kw == TRANSACTION) {
                    stmt = StatementType.BEGIN;
                    advance();
                }
                break;
            case COMMIT: stmt = StatementType.COMMIT; break;
            case ROLLBACK:
                if (type == WORD && kw == WORK) {
                    advance();
                }
                stmt = type == WORD && kw == TO ? StatementType.SAVEPOINT : StatementType.ROLLBACK;
                break;
            case SAVEPOINT: stmt = StatementType.SAVEPOINT; break;
            case RELEASE:
                if (type == WORD && kw == SAVEPOINT) {
                    stmt = StatementType.SAVEPOINT;
                }
                break;
            case SET: stmt = StatementType.SET; break;
            case USE: stmt = StatementType.USE; break;
            case SHOW: stmt = StatementType.SHOW; break;
            case CALL: stmt = StatementType.CALL; break;
            case PREPARE: case DEALLOCATE: stmt = StatementType.PREPARE; break;
            case EXECUTE: stmt = StatementType.EXECUTE; break;
            case DROP:
                stmt = type == WORD && kw == PREPARE ? StatementType.PREPARE : StatementType.DDL;
                break;
            case CREATE: case ALTER: case TRUNCATE: case RENAME: stmt = StatementType.DDL; break;
            default: break;
        }
        stmtKeyword = first;
        return true;
    }

    /** The part right after the first keyword(s) that only that kind of statement has. */
    private void prefix() {
        switch (stmt) {
            case INSERT: case REPLACE:
                insertPrefix();
                break;
            case UPDATE:
                skipWords(LOW_PRIORITY, IGNORE, -1);
                readTableList();
                break;
            case DELETE:
                skipWords(LOW_PRIORITY, QUICK, IGNORE);
                break;
            case LOAD_DATA:
                while (type != EOF && !isSymbol(';') && !(type == WORD && kw == INTO)) {
                    advance();
                }
                if (type == WORD && kw == INTO) {
                    advance();
                    if (type == WORD && kw == TABLE) {
                        advance();
                        readName(false);
                    }
                }
                break;
            case SELECT:
                if (stmtKeyword == TABLE) {
                    readName(false);
                }
                break;
            case DDL:
                ddlPrefix();
                break;
            default:
                break;
        }
    }

    private void insertPrefix() {
        skipWords(LOW_PRIORITY, DELAYED, HIGH_PRIORITY);
        skipWords(IGNORE, -1, -1);
        if (type == WORD && kw == INTO) {
            advance();
        }
        if (!readName(false)) {
            return;
        }
        if (type == WORD && kw == PARTITION) {
            advance();
            skipParens();
        }
        String[] columns = null;
        if (isSymbol('(')) {
            advance();
            if (isSymbol(')')) {
                columns = new String[0];
                advance();
            } else {
                ArrayList<String> names = new ArrayList<>();
                for (;;) {
                    if (!isColumnToken()) {
                        return; // INSERT INTO t (SELECT ...), or something else: the body reads on
                    }
                    String name = columnName();
                    advance();
                    while (isSymbol('.')) {
                        advance();
                        if (type != WORD && type != QIDENT) {
                            return;
                        }
                        name = columnName();
                        advance();
                    }
                    names.add(name);
                    if (isSymbol(',')) {
                        advance();
                    } else if (isSymbol(')')) {
                        advance();
                        break;
                    } else {
                        return;
                    }
                }
                columns = names.toArray(new String[0]);
            }
        }
        if (type == WORD && (kw == VALUES || kw == VALUE)) {
            advance();
            rows(columns);
        } else if (type == WORD && kw == SET) {
            insertSet = true;
        }
    }

    /** {@code (v, ...), (v, ...)}: each literal is a key value of its column. */
    private void rows(String[] columns) {
        for (;;) {
            if (type == WORD && Keywords.matches(s, start, stop - start, "row")) {
                advance();
            }
            if (!isSymbol('(')) {
                return;
            }
            int d = depth;
            advance();
            int i = 0;
            for (;;) {
                String v = literal();
                if (v != null && !((isSymbol(',') && depth == d) || (isSymbol(')') && depth == d - 1))) {
                    v = null;
                }
                while (type != EOF && !isSymbol(';') && !(isSymbol(',') && depth == d)
                        && !(isSymbol(')') && depth == d - 1)) {
                    advance();
                }
                if (v != null && columns != null && i < columns.length) {
                    addKey(columns[i], v);
                }
                if (isSymbol(',')) {
                    advance();
                    i++;
                } else if (isSymbol(')')) {
                    advance();
                    break;
                } else {
                    return;
                }
            }
            if (!isSymbol(',')) {
                return;
            }
            advance();
        }
    }

    private void ddlPrefix() {
        switch (stmtKeyword) {
            case CREATE:
                if (type == WORD && kw == OR) { // CREATE OR REPLACE [TEMPORARY] TABLE
                    advance();
                    skipWords(REPLACE, -1, -1);
                }
                skipWords(TEMPORARY, -1, -1);
                if (type == WORD && kw == TABLE) {
                    advance();
                    skipWords(IF, NOT, EXISTS);
                    readName(false);
                }
                break;
            case ALTER:
                skipWords(ONLINE, IGNORE, -1);
                if (type == WORD && kw == TABLE) {
                    advance();
                    readName(false);
                }
                break;
            case DROP:
                skipWords(TEMPORARY, -1, -1);
                if (type == WORD && (kw == TABLE || kw == TABLES)) {
                    advance();
                    skipWords(IF, EXISTS, -1);
                    while (readName(false) && isSymbol(',')) {
                        advance();
                    }
                }
                break;
            case TRUNCATE:
                if (type == WORD && kw == TABLE) {
                    advance();
                }
                readName(false);
                break;
            case RENAME:
                if (type == WORD && (kw == TABLE || kw == TABLES)) {
                    advance();
                    while (readName(false) && type == WORD && kw == TO) {
                        advance();
                        if (!readName(false) || !isSymbol(',')) {
                            break;
                        }
                        advance();
                    }
                }
                break;
            default:
                break;
        }
    }

    /** The rest of the statement: tables after FROM / JOIN, predicates, locking clauses; stops at {@code ;}. */
    private void body() {
        boolean tablesOn = stmt == StatementType.SELECT || stmt == StatementType.INSERT
                || stmt == StatementType.UPDATE || stmt == StatementType.DELETE || stmt == StatementType.REPLACE
                || stmt == StatementType.DDL;
        boolean keysOn = stmt == StatementType.SELECT || stmt == StatementType.INSERT
                || stmt == StatementType.UPDATE || stmt == StatementType.DELETE || stmt == StatementType.REPLACE;
        while (type != EOF) {
            if (type == SYMBOL && sym == ';') {
                afterFirstStatement();
                return;
            }
            if (type == WORD && kw >= 0) {
                int k = kw;
                if (tablesOn) {
                    if (k == FROM && !inFromFunction()) {
                        seenFrom = true;
                        advance();
                        readTableList();
                        continue;
                    }
                    if (k == JOIN || (k == STRAIGHT_JOIN && seenFrom)) {
                        advance();
                        readTableList();
                        continue;
                    }
                    if (k == USING && stmt == StatementType.DELETE && depth == 0) {
                        advance();
                        readTableList();
                        continue;
                    }
                    if (withClause && depth == 0 && (k == UPDATE || k == DELETE)) {
                        withClause = false;
                        advance();
                        if (k == UPDATE) {
                            stmt = StatementType.UPDATE;
                            skipWords(LOW_PRIORITY, IGNORE, -1);
                            readTableList();
                        } else {
                            stmt = StatementType.DELETE;
                            skipWords(LOW_PRIORITY, QUICK, IGNORE);
                        }
                        continue;
                    }
                }
                if (stmt == StatementType.SELECT && k == FOR) {
                    advance();
                    if (type == WORD && (kw == UPDATE || kw == SHARE)) {
                        locking = true;
                        advance();
                    }
                    continue;
                }
                if (stmt == StatementType.SELECT && k == LOCK) {
                    advance();
                    if (type == WORD && kw == IN) {
                        locking = true;
                    }
                    continue;
                }
                if (k == ON && depth == 0) {
                    insertSet = false; // ON DUPLICATE KEY UPDATE assigns, it does not insert
                }
            }
            if (keysOn && isColumnToken() && predicateMayStart()) {
                keyValue();
                continue;
            }
            advance();
        }
    }

    /** At a {@code ;}: whether another statement follows. */
    private void afterFirstStatement() {
        while (isSymbol(';')) {
            advance();
        }
        more = type != EOF || error;
        error = false;
    }

    /** Table references separated by commas, each with optional partition list, alias and index hints. */
    private void readTableList() {
        for (;;) {
            if (isSymbol('(')) { // FROM (t1, t2) or FROM (SELECT ...): the body reads a subquery
                advance();
                continue;
            }
            if (type == WORD && kw == DUAL) {
                advance();
                return;
            }
            if (!readName(true)) {
                return;
            }
            if (type == WORD && kw == PARTITION) {
                advance();
                skipParens();
            }
            if (type == WORD && kw == AS) {
                advance();
                if (isAliasToken()) {
                    advance();
                }
            } else if (isAliasToken()) {
                advance();
            }
            while (type == WORD && (kw == USE || kw == IGNORE || kw == FORCE)) {
                advance();
                while (type == WORD && (kw == INDEX || kw == KEY || kw == FOR || kw == JOIN || kw == ORDER
                        || kw == GROUP || kw == BY)) {
                    advance();
                }
                skipParens();
            }
            if (!isSymbol(',')) {
                return;
            }
            advance();
        }
    }

    /**
     * A possibly qualified table name; adds it to the tables unless {@code notFunction} and a {@code (}
     * follows (a table function such as {@code JSON_TABLE(...)}). False when the current token is no name.
     */
    private boolean readName(boolean notFunction) {
        if (!(type == QIDENT || type == DQSTRING || (type == WORD && !Keywords.is(kw, RESERVED)))) {
            return false;
        }
        String a = identifier();
        advance();
        String db = null;
        String table = a;
        if (isSymbol('.')) {
            advance();
            if (type != WORD && type != QIDENT && type != DQSTRING) {
                return false;
            }
            db = a;
            table = identifier();
            advance();
        }
        if (notFunction && isSymbol('(')) {
            return false;
        }
        addTable(db, table);
        return true;
    }

    /** {@code col = literal} or {@code col IN (literal, ...)} at a place a predicate may start. */
    private void keyValue() {
        String column = null;
        int cs = start;
        int ce = stop;
        int ct = type;
        boolean cesc = escaped;
        advance();
        while (isSymbol('.')) {
            advance();
            if (type != WORD && type != QIDENT) {
                return;
            }
            cs = start;
            ce = stop;
            ct = type;
            cesc = escaped;
            advance();
        }
        if (isSymbol('=')) {
            advance();
            String v = literal();
            if (v != null && terminates()) {
                column = columnName(cs, ce, ct, cesc);
                addKey(column, v);
            }
        } else if (type == WORD && kw == IN) {
            advance();
            if (!isSymbol('(')) {
                return;
            }
            int d = depth;
            advance();
            ArrayList<String> values = new ArrayList<>();
            for (;;) {
                String v = literal();
                if (v == null) {
                    return;
                }
                values.add(v);
                if (isSymbol(',') && depth == d) {
                    advance();
                } else if (isSymbol(')') && depth == d - 1) {
                    advance();
                    break;
                } else {
                    return;
                }
            }
            if (terminates()) {
                column = columnName(cs, ce, ct, cesc);
                for (String v : values) {
                    addKey(column, v);
                }
            }
        }
    }

    /** Whether the current token ends the expression a literal started. */
    private boolean terminates() {
        return type == EOF
                || (type == SYMBOL && (sym == ';' || sym == ')' || sym == ','))
                || (type == WORD && !Keywords.is(kw, OPERATOR));
    }

    /** A literal (optionally signed number, or string) consumed; null, with nothing consumed but a sign, if none. */
    private String literal() {
        boolean negative = false;
        if (type == SYMBOL && (sym == '-' || sym == '+')) {
            negative = sym == '-';
            advance();
            if (type != NUMBER) {
                return null;
            }
        }
        String v;
        if (type == NUMBER) {
            v = s.substring(start, stop);
            if (negative) {
                v = "-".concat(v);
            }
        } else if (type == STRING || type == DQSTRING) {
            v = unquote(start, stop, escaped, true);
        } else {
            return null;
        }
        advance();
        return v;
    }

    private boolean predicateMayStart() {
        if (prevType == WORD) {
            return prevKw == WHERE || prevKw == AND || prevKw == OR || prevKw == ON
                    || (insertSet && prevKw == SET);
        }
        if (prevType == SYMBOL) {
            if (prevSym == '(') {
                return depth > 0 && depth <= 64 && (predicateParens >>> (depth - 1) & 1) != 0;
            }
            return insertSet && prevSym == ',' && depth == 0;
        }
        return false;
    }

    private boolean inFromFunction() {
        return depth > 0 && depth <= 64 && (fromFunctionParens >>> (depth - 1) & 1) != 0;
    }

    private boolean isColumnToken() {
        return type == QIDENT || (type == WORD && !Keywords.is(kw, RESERVED));
    }

    private boolean isAliasToken() {
        return type == QIDENT || type == DQSTRING || type == STRING || (type == WORD && !Keywords.is(kw, RESERVED));
    }

    private boolean isSymbol(char c) {
        return type == SYMBOL && sym == c;
    }

    private void skipWords(int a, int b, int c) {
        while (type == WORD && kw >= 0 && (kw == a || kw == b || kw == c)) {
            advance();
        }
    }

    /** At {@code (}: skips to after its {@code )}. Otherwise nothing. */
    private void skipParens() {
        if (!isSymbol('(')) {
            return;
        }
        int d = depth;
        advance();
        while (type != EOF && !isSymbol(';') && !(isSymbol(')') && depth == d - 1)) {
            advance();
        }
        if (isSymbol(')')) {
            advance();
        }
    }

    // ---------------------------------------------------------------------------------------------- results

    private void addTable(String db, String table) {
        if (tables == null) {
            tables = new ArrayList<>(4);
        } else {
            for (int i = 0, n = tables.size(); i < n; i++) {
                TableName t = tables.get(i);
                if (t.table().equals(table) && (db == null ? t.database() == null : db.equals(t.database()))) {
                    return;
                }
            }
        }
        tables.add(new TableName(db, table));
    }

    private void addKey(String column, String value) {
        if (keys == null) {
            keys = new LinkedHashMap<>(8);
        }
        List<String> values = keys.get(column);
        if (values == null) {
            values = new ArrayList<>(2);
            keys.put(column, values);
        }
        values.add(value);
    }

    /** The current token as an identifier (a word, or a back-quoted or double-quoted name, unquoted). */
    private String identifier() {
        if (type == WORD) {
            return s.substring(start, stop);
        }
        return unquote(start, stop, escaped, false);
    }

    private String columnName() {
        return columnName(start, stop, type, escaped);
    }

    private String columnName(int from, int to, int tokenType, boolean esc) {
        String name = tokenType == WORD ? s.substring(from, to) : unquote(from, to, esc, false);
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The content of the quoted token {@code s[from, to)}: doubled quotes undone, and for strings the
     * backslash escapes of MySQL resolved ({@code \%} and {@code \_} keep their backslash, as in MySQL).
     */
    private String unquote(int from, int to, boolean esc, boolean string) {
        char q = s.charAt(from);
        if (!esc) {
            return s.substring(from + 1, to - 1);
        }
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (c == q) { // doubled
                b.append(c);
                i++;
            } else if (c == '\\' && string) {
                char n = s.charAt(++i);
                switch (n) {
                    case '0': b.append('\0'); break;
                    case 'b': b.append('\b'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'Z': b.append('\u001a'); break;
                    case '%': case '_': b.append('\\').append(n); break;
                    default: b.append(n); break;
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // -------------------------------------------------------------------------------------------- tokenizer

    /** Makes the next token current, keeping the depth of parentheses. */
    private void advance() {
        prevType = type;
        prevKw = kw;
        prevSym = sym;
        lex();
        if (type == SYMBOL) {
            if (sym == '(') {
                if (depth < 64) {
                    long bit = 1L << depth;
                    if (prevType == WORD && Keywords.is(prevKw, FROM_FUNCTION)) {
                        fromFunctionParens |= bit;
                    } else {
                        fromFunctionParens &= ~bit;
                    }
                    boolean predicate = (prevType == WORD && (prevKw == WHERE || prevKw == AND || prevKw == OR
                            || prevKw == ON || prevKw == NOT))
                            || (prevType == SYMBOL && prevSym == '(' && depth > 0
                                && (predicateParens >>> (depth - 1) & 1) != 0);
                    if (predicate) {
                        predicateParens |= bit;
                    } else {
                        predicateParens &= ~bit;
                    }
                }
                depth++;
            } else if (sym == ')' && depth > 0) {
                depth--;
            }
        }
    }

    private void lex() {
        kw = -1;
        sym = 0;
        escaped = false;
        final String s = this.s;
        final int end = this.end;
        char c;
        for (;;) {
            if (pos >= end) {
                type = EOF;
                start = stop = end;
                return;
            }
            c = s.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B) {
                pos++;
            } else if (c == '/' && pos + 1 < end && s.charAt(pos + 1) == '*') {
                if (!comment()) {
                    fail();
                    return;
                }
            } else if (c == '*' && inExec && pos + 1 < end && s.charAt(pos + 1) == '/') {
                inExec = false;
                pos += 2;
            } else if (c == '#' || (c == '-' && pos + 1 < end && s.charAt(pos + 1) == '-'
                    && (pos + 2 >= end || s.charAt(pos + 2) <= ' '))) {
                while (pos < end && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
        leading = false;
        start = pos;
        if ((c == 'n' || c == 'N') && pos + 1 < end && s.charAt(pos + 1) == '\'') {
            start = ++pos; // N'...' is a string
            c = '\'';
        } else if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && pos + 1 < end && s.charAt(pos + 1) == '\'') {
            pos++;
            if (quoted('\'')) {
                type = OTHER_LITERAL;
            }
            return;
        }
        if (isIdentifierStart(c)) {
            int h = 0;
            int p = pos;
            while (p < end && isIdentifierPart(c = s.charAt(p))) {
                h = Keywords.step(h, c);
                p++;
            }
            pos = p;
            stop = p;
            type = WORD;
            kw = Keywords.lookup(s, start, p - start, h);
        } else if (c >= '0' && c <= '9' || (c == '.' && pos + 1 < end && isDigit(s.charAt(pos + 1))
                && !(prevIsNamePart()))) {
            number();
        } else if (c == '\'') {
            if (quoted('\'')) {
                type = STRING;
            }
        } else if (c == '"') {
            if (quoted('"')) {
                type = DQSTRING;
            }
        } else if (c == '`') {
            if (quoted('`')) {
                type = QIDENT;
            }
        } else if (c == '@') {
            pos++;
            if (pos < end && s.charAt(pos) == '@') {
                pos++;
            }
            if (pos < end && (s.charAt(pos) == '\'' || s.charAt(pos) == '"' || s.charAt(pos) == '`')) {
                if (!quoted(s.charAt(pos))) {
                    return;
                }
            } else {
                while (pos < end && (isIdentifierPart(c = s.charAt(pos)) || c == '.')) {
                    pos++;
                }
            }
            stop = pos;
            type = VARIABLE;
        } else if (c < 0x20 || c == 0x7F) {
            fail();
        } else {
            pos++;
            stop = pos;
            type = SYMBOL;
            sym = c;
        }
    }

    /** Whether the previous token was a name, so that {@code .5} after it is {@code .} then {@code 5}. */
    private boolean prevIsNamePart() {
        return start > 0 && (isIdentifierPart(s.charAt(start - 1)) || s.charAt(start - 1) == '`');
    }

    private void number() {
        int p = pos;
        final String s = this.s;
        char c = s.charAt(p);
        if (c == '0' && p + 1 < end && (s.charAt(p + 1) == 'x' || s.charAt(p + 1) == 'b')) {
            p += 2;
            while (p < end && isIdentifierPart(s.charAt(p))) {
                p++;
            }
            pos = p;
            stop = p;
            type = OTHER_LITERAL; // 0x1F, 0b101 (or an identifier such as 0xyz: not a key value either way)
            return;
        }
        while (p < end && isDigit(s.charAt(p))) {
            p++;
        }
        boolean plainInteger = true;
        if (p < end && s.charAt(p) == '.') {
            plainInteger = false;
            p++;
            while (p < end && isDigit(s.charAt(p))) {
                p++;
            }
        }
        if (p < end && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < end && (s.charAt(q) == '+' || s.charAt(q) == '-')) {
                q++;
            }
            if (q < end && isDigit(s.charAt(q))) {
                p = q;
                while (p < end && isDigit(s.charAt(p))) {
                    p++;
                }
                plainInteger = false;
            }
        }
        if (plainInteger && p < end && isIdentifierStart(s.charAt(p))) { // 1abc is an identifier
            while (p < end && isIdentifierPart(s.charAt(p))) {
                p++;
            }
            pos = p;
            stop = p;
            type = WORD;
            return;
        }
        pos = p;
        stop = p;
        type = NUMBER;
    }

    /** A quoted token from {@link #pos} (at the opening quote); false (and failed) when unterminated. */
    private boolean quoted(char q) {
        final String s = this.s;
        int p = pos + 1;
        for (;;) {
            if (p >= end) {
                fail();
                return false;
            }
            char c = s.charAt(p);
            if (c == '\\' && q != '`') {
                escaped = true;
                p += 2;
            } else if (c == q) {
                if (p + 1 < end && s.charAt(p + 1) == q) {
                    escaped = true;
                    p += 2;
                } else {
                    pos = p + 1;
                    stop = pos;
                    return true;
                }
            } else {
                p++;
            }
        }
    }

    /** At {@code /*}: reads hints and leading {@code target_db_server}; false when unterminated. */
    private boolean comment() {
        int p = pos + 2;
        if (p < end && s.charAt(p) == '!') { // executable comment: the content is statement text
            p++;
            while (p < end && isDigit(s.charAt(p))) {
                p++;
            }
            pos = p;
            inExec = true;
            return true;
        }
        int close = -1;
        for (int i = p; i + 1 < end; i++) {
            if (s.charAt(i) == '*' && s.charAt(i + 1) == '/') {
                close = i;
                break;
            }
        }
        if (close < 0) {
            return false;
        }
        if (p < close && s.charAt(p) == '+') {
            hints(p + 1, close);
        }
        if (leading && target == null) {
            targetServer(p, close);
        }
        pos = close + 2;
        return true;
    }

    /** {@code READ_CONSISTENCY(WEAK|STRONG)} and {@code QUERY_TIMEOUT(n)} in a hint comment's {@code s[from, to)}. */
    private void hints(int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (!isIdentifierStart(c)) {
                i++;
                continue;
            }
            int w = i;
            while (i < to && isIdentifierPart(s.charAt(i))) {
                i++;
            }
            int len = i - w;
            boolean consistency = Keywords.matches(s, w, len, "read_consistency");
            boolean queryTimeout = !consistency && Keywords.matches(s, w, len, "query_timeout");
            if (!consistency && !queryTimeout) {
                continue;
            }
            i = skipBlanks(i, to);
            if (i >= to || s.charAt(i) != '(') {
                continue;
            }
            int a = skipBlanks(i + 1, to);
            int b = a;
            while (b < to && isIdentifierPart(s.charAt(b))) {
                b++;
            }
            int close = skipBlanks(b, to);
            if (close >= to || s.charAt(close) != ')') {
                i = b;
                continue;
            }
            i = close + 1;
            if (consistency) {
                if (Keywords.matches(s, a, b - a, "weak")) {
                    weak = true;
                    strong = false;
                } else if (Keywords.matches(s, a, b - a, "strong")) {
                    strong = true;
                    weak = false;
                }
            } else if (b > a && b - a <= 18) {
                long v = 0;
                for (int k = a; k < b && v >= 0; k++) {
                    char d = s.charAt(k);
                    v = isDigit(d) ? v * 10 + (d - '0') : -1;
                }
                if (v >= 0) {
                    timeout = v;
                }
            }
        }
    }

    /**
     * {@code target_db_server='ip:port'} (or unquoted, or a comma-separated list, of which the first is taken)
     * in a leading comment's {@code s[from, to)}. An unreadable address is ignored.
     */
    private void targetServer(int from, int to) {
        int n = TARGET_KEY.length();
        for (int i = from; i + n <= to; i++) {
            if (!s.regionMatches(true, i, TARGET_KEY, 0, n)) {
                continue;
            }
            int p = skipBlanks(i + n, to);
            if (p >= to || s.charAt(p) != '=') {
                continue;
            }
            p = skipBlanks(p + 1, to);
            char q = p < to ? s.charAt(p) : 0;
            boolean quotedValue = q == '\'' || q == '"';
            if (quotedValue) {
                p++;
            }
            int e = p;
            while (e < to) {
                char c = s.charAt(e);
                if (c == ',' || (quotedValue ? c == q : c <= ' ')) {
                    break;
                }
                e++;
            }
            try {
                target = ServerAddress.parse(s.substring(p, e));
            } catch (IllegalArgumentException ignored) {
                // not an address: no pinned server
            }
            return;
        }
    }

    private int skipBlanks(int i, int to) {
        while (i < to && s.charAt(i) <= ' ') {
            i++;
        }
        return i;
    }

    private void fail() {
        error = true;
        type = EOF;
        kw = -1;
        sym = 0;
        pos = end;
        start = stop = end;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || c >= 0x80;
    }

    /** For tests: the keyword table's view of {@code word}. */
    static int keyword(String word) {
        int h = 0;
        for (int i = 0; i < word.length(); i++) {
            h = Keywords.step(h, word.charAt(i));
        }
        return Keywords.lookup(word, 0, word.length(), h);
    }
}
