package dev.junction.ssh;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH channel served by gogo: either a single command ({@code exec} request) or an interactive
 * shell with a small line editor ({@code shell} request).
 */
final class GogoCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(GogoCommand.class);

    static final String PROMPT = "junction> ";

    private static final int CTRL_C = 3;
    private static final int CTRL_D = 4;
    private static final int BACKSPACE = 8;
    private static final int CTRL_U = 21;
    private static final int ESC = 27;
    private static final int DEL = 127;

    private final CommandProcessor processor;
    /** The command of an exec request, {@code null} for an interactive shell. */
    private final String commandLine;

    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback callback;
    private volatile Thread thread;
    private volatile CommandSession session;

    GogoCommand(CommandProcessor processor, String commandLine) {
        this.processor = processor;
        this.commandLine = commandLine;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.callback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        boolean pty = !env.getPtyModes().isEmpty() || env.getEnv().containsKey(Environment.ENV_TERM);
        String user = channel.getSession().getUsername();
        OutputStream o = pty ? new CrLf(out) : out;
        OutputStream e = pty ? new CrLf(err) : err;
        Thread t = new Thread(() -> run(user, pty, o, e),
                "junction-ssh-" + (commandLine == null ? "shell" : "exec") + "-" + user);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run(String user, boolean pty, OutputStream o, OutputStream e) {
        int status = 0;
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        try {
            InputStream sessionIn = commandLine == null ? InputStream.nullInputStream() : in;
            CommandSession s = processor.createSession(sessionIn, po, pe);
            session = s;
            s.put("USER", user);
            s.put("APPLICATION", "junction");
            if (commandLine == null) {
                interactive(s, pty, po, pe);
            } else {
                LOG.info("SSH user {} runs: {}", user, commandLine);
                status = execute(s, commandLine, po, pe) ? 0 : 1;
            }
        } catch (IOException ex) {
            LOG.debug("SSH channel of {} closed: {}", user, ex.toString());
            status = 1;
        } catch (RuntimeException ex) {
            LOG.warn("SSH shell of {} failed", user, ex);
            status = 1;
        } finally {
            po.flush();
            pe.flush();
            CommandSession s = session;
            if (s != null) {
                s.close();
            }
            callback.onExit(status);
        }
    }

    /** Runs one command line; prints the result, or the error as one line. Returns whether it succeeded. */
    private static boolean execute(CommandSession s, String line, PrintStream po, PrintStream pe) {
        try {
            Object result = s.execute(line);
            if (result != null) {
                CharSequence text = s.format(result, Converter.INSPECT);
                po.println(text == null ? String.valueOf(result) : text);
            }
            po.flush();
            return true;
        } catch (Exception ex) {
            po.flush();
            pe.println("Error: " + describe(ex));
            pe.flush();
            return false;
        }
    }

    static String describe(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }

    private void interactive(CommandSession s, boolean pty, PrintStream po, PrintStream pe) throws IOException {
        po.print(PROMPT);
        po.flush();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean lastWasCr = false;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            boolean cr = c == '\r';
            if (c == '\n' && lastWasCr) {
                lastWasCr = false;
                continue; // CR LF from a client that sends both
            }
            lastWasCr = cr;
            if (c == '\r' || c == '\n') {
                if (pty) {
                    po.print("\n");
                }
                String text = line.toString(StandardCharsets.UTF_8).trim();
                line.reset();
                if (text.equals("exit") || text.equals("logout")) {
                    return;
                }
                if (!text.isEmpty()) {
                    execute(s, text, po, pe);
                }
                po.print(PROMPT);
                po.flush();
            } else if (c == CTRL_D) {
                if (line.size() == 0) {
                    if (pty) {
                        po.print("\n");
                        po.flush();
                    }
                    return;
                }
            } else if (c == CTRL_C) {
                line.reset();
                po.print(pty ? "^C\n" + PROMPT : PROMPT);
                po.flush();
            } else if (c == BACKSPACE || c == DEL) {
                if (removeLastCodePoint(line) && pty) {
                    po.print("\b \b");
                    po.flush();
                }
            } else if (c == CTRL_U) {
                if (pty) {
                    int chars = line.toString(StandardCharsets.UTF_8).codePointCount(0,
                            line.toString(StandardCharsets.UTF_8).length());
                    po.print("\b \b".repeat(chars));
                    po.flush();
                }
                line.reset();
            } else if (c == ESC) {
                skipEscapeSequence();
            } else if (c >= 32 || c == '\t') {
                int b = c == '\t' ? ' ' : c;
                line.write(b);
                if (pty) {
                    echo(po, b);
                }
            }
            // other control characters are ignored
        }
    }

    private static void echo(PrintStream po, int b) {
        po.write(b);
        po.flush();
    }

    /** Drops an ANSI escape sequence (arrow keys and the like): the editor does not support them. */
    private void skipEscapeSequence() throws IOException {
        int c = in.read();
        if (c == '[' || c == 'O') {
            do {
                c = in.read();
            } while (c >= 0 && (c < 0x40 || c > 0x7e));
        }
    }

    private static boolean removeLastCodePoint(ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        int end = bytes.length;
        if (end == 0) {
            return false;
        }
        end--;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // UTF-8 continuation byte
        }
        line.reset();
        line.write(bytes, 0, end);
        return true;
    }

    @Override
    public void destroy(ChannelSession channel) {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    /** Turns {@code \n} into {@code \r\n} for a terminal (pty). */
    static final class CrLf extends FilterOutputStream {
        private int last = -1;

        CrLf(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n' && last != '\r') {
                out.write('\r');
            }
            out.write(b);
            last = b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(len + 16);
            for (int i = off; i < off + len; i++) {
                int c = b[i] & 0xff;
                if (c == '\n' && last != '\r') {
                    buf.write('\r');
                }
                buf.write(c);
                last = c;
            }
            buf.writeTo(out);
        }
    }
}
