package dev.junction.core.analysis;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class DigestTest {

    @Test
    public void literalsSpacingCommentsAndCaseDoNotChangeTheDigest() {
        String d = "select c from sbtest1 where id = ?";
        assertEquals(d, Digest.of("SELECT c FROM sbtest1 WHERE id=42"));
        assertEquals(d, Digest.of("  select  c\n from sbtest1 /* hint */ where id = -7 ;"));
        assertEquals(d, Digest.of("select c from sbtest1 where id = 'x''y\\\\'"));
        assertEquals(d, Digest.of("select c from `sbtest1` where id = 1.5e3 -- tail"));
        assertEquals("select * from t where a in(...) and b = ?", Digest.of("SELECT * FROM t WHERE a IN (1, 2, 3) AND b = 0x1F"));
        assertEquals("insert into t(a, b) values(...), (...)", Digest.of("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')"));
        assertEquals("select count(*) from db.t where a - ? > b", Digest.of("select COUNT(*) from db.t where a - 1 > b"));
        assertEquals("update t set k = k + ? where id = ?", Digest.of("UPDATE t SET k=k+1 WHERE id=5"));
        assertEquals("select ? from dual where @x = ?", Digest.of("select ? from dual where @x = X'0A'"));
    }

    @Test
    public void analysisComputesItOnlyWhenAsked() {
        Analysis a = new StatementAnalyzer().analyze("SELECT v FROM t WHERE id = 3");
        assertEquals("select v from t where id = ?", a.digest());
        assertEquals(a.digest(), a.digest());
    }
}
