package org.stealbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.api.http.AccountingDb;

/** The key and accounting commands of 'serve', on a database file of their own. */
class ServeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void keysAreIssuedOnceStoredHashedAndTheAccountsListThem() throws Exception {
        Path db = tmp.resolve("api.db");
        DatasetsCommandTest.Result add = DatasetsCommandTest.run("serve", "keys", "add", "bob", "--budget", "500", "--rate", "60", "--db", db.toString());
        assertEquals(0, add.code(), add.err());
        String key = add.out().trim();
        assertTrue(key.startsWith("sb_") && key.length() > 40, key);
        assertTrue(add.err().contains("not shown again"), add.err());
        assertFalse(new String(Files.readAllBytes(db), java.nio.charset.StandardCharsets.ISO_8859_1).contains(key), "the key is not stored");
        try (AccountingDb a = AccountingDb.open(db)) {
            assertEquals("bob", a.authenticate(key).name());
            assertEquals(null, a.authenticate(key.substring(0, key.length() - 1) + "x"));
        }
        DatasetsCommandTest.Result again = DatasetsCommandTest.run("serve", "keys", "add", "bob", "--budget", "5", "--db", db.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("exists already"), again.err());
        DatasetsCommandTest.Result accounts = DatasetsCommandTest.run("serve", "accounts", "--db", db.toString());
        assertEquals(0, accounts.code(), accounts.err());
        assertTrue(accounts.out().lines().anyMatch(l -> l.startsWith("bob ") && l.contains(" 500 ") && l.contains(" 60 ")), accounts.out());
        assertFalse(accounts.out().contains(key));
    }
}
