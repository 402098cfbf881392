package dev.junction.ssh;

/** Gogo commands for the tests: {@code test:echo} and {@code test:fail}. */
public class TestCommands {

    public String echo(String... words) {
        return String.join(" ", words);
    }

    public void fail() {
        throw new IllegalStateException("boom");
    }

    /** Prints through System.out, which gogo redirects to the session. */
    public void lines() {
        System.out.println("one");
        System.out.println("two");
    }
}
