package dev.junction.core.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Follows a server's response to one command frame by frame, looking only at OK, ERR and EOF packets and
 * at column counts, to tell when the response is complete. Rows are never decoded.
 *
 * <p>Result-set state machine: column count → column definitions → EOF → rows → EOF (or ERR);
 * an OK or final EOF with {@link ServerStatus#MORE_RESULTS_EXISTS} starts the next result. On a connection with
 * MariaDB's metadata caching every column count carries a "metadata follows" byte; when it is 0 the column
 * definitions are left out and the EOF comes next.
 *
 * <p>The column definitions of a prepare's answer, and of the first result set of an execution that carries them,
 * are kept as wire frames ({@link #columnFrames()}): Junction needs to know which metadata a client holds.
 */
public final class ResponseTracker {

    /** What kind of response the command produces. */
    public enum Kind {
        /** COM_QUERY: OK, ERR, LOCAL INFILE request or result sets. */
        QUERY,
        /** COM_STMT_EXECUTE: like QUERY (binary rows), and a cursor may open instead of rows. */
        EXECUTE,
        /** COM_STMT_PREPARE: prepare-OK, parameter and column definitions. */
        PREPARE,
        /** COM_STMT_FETCH: rows then EOF, or ERR. */
        FETCH,
        /** COM_FIELD_LIST: column definitions then EOF, or ERR. */
        FIELD_LIST,
        /** Exactly one packet of any kind (COM_STATISTICS, COM_PING, COM_STMT_RESET, COM_SET_OPTION, ...). */
        SINGLE
    }

    private enum State { FIRST, COLUMNS, COLUMNS_EOF, ROWS, FIELDS, PARAMS, PARAMS_EOF, PREP_COLUMNS, PREP_COLUMNS_EOF,
        LOCAL_INFILE, DONE }

    /** What the last packet fed was, for handlers that act on the column count. */
    public enum Role { OTHER, COLUMN_COUNT }

    private final Kind kind;
    private final boolean metadataFlag;
    private final boolean keepColumns;
    private State state;
    private long remaining;
    private boolean continuation;
    private int lastStatus = -1;
    private MysqlError error;
    private boolean cursorOpened;
    private long prepareStatementId;
    private int prepareColumns;
    private int prepareParams;
    private int packetsSeen;
    private Role role = Role.OTHER;
    private boolean metadataSkipped;
    /** Column count packets seen (result sets started). */
    private int resultSets;
    private ColumnFrames columns;

    public ResponseTracker(Kind kind) {
        this(kind, false, false);
    }

    /**
     * @param metadataFlag whether column counts carry MariaDB's "metadata follows" byte (the connection negotiated
     *        {@link Capabilities#MARIADB_CACHE_METADATA})
     * @param keepColumns whether to keep {@link #columnFrames()} (the client caches metadata)
     */
    public ResponseTracker(Kind kind, boolean metadataFlag, boolean keepColumns) {
        this.kind = kind;
        this.metadataFlag = metadataFlag;
        this.keepColumns = keepColumns;
        this.state = kind == Kind.FETCH ? State.ROWS : kind == Kind.FIELD_LIST ? State.FIELDS : State.FIRST;
    }

    /**
     * Feeds one wire frame (4-byte header included, reader index at the header). Returns true when the
     * response is complete. Does not change the frame's indexes or reference count.
     */
    public boolean onFrame(ByteBuf frame) {
        return onFrame(frame, frame.readerIndex(), frame.writerIndex());
    }

    /**
     * Feeds the wire frame at {@code at} of {@code b} (header included), whose bytes end at or before
     * {@code end}. Returns true when the response is complete. Changes nothing in {@code b}.
     */
    public boolean onFrame(ByteBuf b, int at, int end) {
        int len = b.getUnsignedMediumLE(at);
        boolean wasContinuation = continuation;
        continuation = len == Packets.MAX_FRAME_PAYLOAD;
        if (wasContinuation || state == State.DONE) {
            return state == State.DONE && !continuation;
        }
        packetsSeen++;
        role = Role.OTHER;
        onPacket(b, at + 4, Math.min(len, end - at - 4), len);
        return state == State.DONE && !continuation;
    }

    /**
     * Between the column definitions and the end of a result set, passes over the plain rows among the complete
     * frames from {@code at} to {@code end}: frames under 16 MB that are neither EOF nor ERR (a row may start with
     * 0xfe, but is then 9 bytes or longer). They count as seen, like {@link #onFrame}, without a call per row.
     * Returns where the last of them starts, or -1 when the frame at {@code at} is not a plain row (feed it to
     * {@link #onFrame}).
     */
    public int skipRows(ByteBuf b, int at, int end) {
        if (state != State.ROWS || continuation) {
            return -1;
        }
        int last = -1;
        int p = at;
        while (end - p > 4) {
            int len = b.getUnsignedMediumLE(p);
            int head = b.getUnsignedByte(p + 4);
            if (len == Packets.MAX_FRAME_PAYLOAD || head == 0xff || head == 0xfe && len < 9 || end - p - 4 < len) {
                break;
            }
            last = p;
            p += 4 + len;
            packetsSeen++;
        }
        return last;
    }

    private void onPacket(ByteBuf b, int at, int avail, int len) {
        if (kind == Kind.SINGLE) {
            if (ResponsePackets.isErr(b, at, len)) {
                error = MysqlError.parse(b.slice(at, avail));
            } else if (ResponsePackets.isOk(b, at, len)) {
                lastStatus = ResponsePackets.okStatus(b, at, avail);
            } else if (ResponsePackets.isEof(b, at, len)) {
                lastStatus = ResponsePackets.eofStatus(b, at, len);
            }
            state = State.DONE;
            return;
        }
        switch (state) {
            case FIRST:
            case LOCAL_INFILE:
                first(b, at, avail, len);
                break;
            case COLUMNS:
                if (ResponsePackets.isErr(b, at, len)) {
                    error = MysqlError.parse(b.slice(at, avail));
                    state = State.DONE;
                    break;
                }
                if (columns != null && resultSets == 1) {
                    columns.add(b, at - 4, avail, len);
                }
                if (--remaining == 0) {
                    state = State.COLUMNS_EOF;
                }
                break;
            case COLUMNS_EOF:
                if (ResponsePackets.isErr(b, at, len)) {
                    error = MysqlError.parse(b.slice(at, avail));
                    state = State.DONE;
                    break;
                }
                lastStatus = ResponsePackets.eofStatus(b, at, len);
                if (kind == Kind.EXECUTE && (lastStatus & ServerStatus.CURSOR_EXISTS) != 0) {
                    cursorOpened = true;
                    state = State.DONE;
                } else {
                    state = State.ROWS;
                }
                break;
            case ROWS:
                if (ResponsePackets.isEof(b, at, len)) {
                    lastStatus = ResponsePackets.eofStatus(b, at, len);
                    state = kind != Kind.FETCH && (lastStatus & ServerStatus.MORE_RESULTS_EXISTS) != 0 ? State.FIRST : State.DONE;
                } else if (ResponsePackets.isErr(b, at, len)) {
                    error = MysqlError.parse(b.slice(at, avail));
                    state = State.DONE;
                }
                break;
            case FIELDS:
                if (ResponsePackets.isEof(b, at, len)) {
                    lastStatus = ResponsePackets.eofStatus(b, at, len);
                    state = State.DONE;
                } else if (ResponsePackets.isErr(b, at, len)) {
                    error = MysqlError.parse(b.slice(at, avail));
                    state = State.DONE;
                }
                break;
            case PARAMS:
                if (--remaining == 0) {
                    state = State.PARAMS_EOF;
                }
                break;
            case PARAMS_EOF:
                state = prepareColumns > 0 ? State.PREP_COLUMNS : State.DONE;
                remaining = prepareColumns;
                break;
            case PREP_COLUMNS:
                if (columns != null) {
                    columns.add(b, at - 4, avail, len);
                }
                if (--remaining == 0) {
                    state = State.PREP_COLUMNS_EOF;
                }
                break;
            case PREP_COLUMNS_EOF:
                state = State.DONE;
                break;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private void first(ByteBuf b, int at, int avail, int len) {
        if (ResponsePackets.isErr(b, at, len)) {
            error = MysqlError.parse(b.slice(at, avail));
            state = State.DONE;
            return;
        }
        int head = len == 0 ? -1 : b.getUnsignedByte(at);
        if (kind == Kind.PREPARE) {
            if (head != 0x00 || len < 9) {
                throw new MalformedPacketException("unexpected answer to COM_STMT_PREPARE");
            }
            prepareStatementId = b.getUnsignedIntLE(at + 1);
            prepareColumns = b.getUnsignedShortLE(at + 5);
            prepareParams = b.getUnsignedShortLE(at + 7);
            columns = keepColumns ? new ColumnFrames(prepareColumns) : null;
            if (prepareParams > 0) {
                remaining = prepareParams;
                state = State.PARAMS;
            } else if (prepareColumns > 0) {
                remaining = prepareColumns;
                state = State.PREP_COLUMNS;
            } else {
                state = State.DONE;
            }
            return;
        }
        if (ResponsePackets.isOk(b, at, len)) {
            lastStatus = ResponsePackets.okStatus(b, at, avail);
            state = (lastStatus & ServerStatus.MORE_RESULTS_EXISTS) != 0 ? State.FIRST : State.DONE;
        } else if (head == 0xfb && kind == Kind.QUERY) {
            state = State.LOCAL_INFILE;
        } else if (ResponsePackets.isEof(b, at, len) || head < 0) {
            state = State.DONE;
        } else {
            int countBytes = head < 0xfb ? 1 : head == 0xfc ? 3 : head == 0xfd ? 4 : 9;
            remaining = head < 0xfb ? head : Wire.readLenEnc(b.slice(at, avail));
            if (remaining <= 0) {
                throw new MalformedPacketException("bad column count");
            }
            role = Role.COLUMN_COUNT;
            resultSets++;
            metadataSkipped = false;
            if (metadataFlag) {
                if (avail <= countBytes) {
                    throw new MalformedPacketException("column count without the metadata-follows byte");
                }
                metadataSkipped = b.getByte(at + countBytes) == 0;
            }
            if (keepColumns && kind == Kind.EXECUTE && resultSets == 1 && !metadataSkipped) {
                columns = new ColumnFrames(remaining);
            }
            state = metadataSkipped ? State.COLUMNS_EOF : State.COLUMNS;
        }
    }

    /** What the last packet fed was. */
    public Role role() {
        return role;
    }

    /** Whether the last column count said the column definitions are left out (MariaDB's metadata caching). */
    public boolean metadataSkipped() {
        return metadataSkipped;
    }

    /** Column count packets seen so far: 1 while the first result set is under way. */
    public int resultSets() {
        return resultSets;
    }

    /**
     * The column definitions (wire frames, sequence ids set to 0) of a prepare's answer or of an execution's first
     * result set when it carried them all; null when there were none (or an error or a frame cut short came between).
     */
    public byte[] columnFrames() {
        return columns == null || !columns.complete() ? null : columns.bytes();
    }

    public boolean isDone() {
        return state == State.DONE && !continuation;
    }

    /** The server asked for a local file; the client's file packets go to the server until an empty one. */
    public boolean awaitingLocalInfile() {
        return state == State.LOCAL_INFILE;
    }

    public MysqlError error() {
        return error;
    }

    /** Status flags of the last OK or EOF seen, or -1. */
    public int lastStatus() {
        return lastStatus;
    }

    public boolean cursorOpened() {
        return cursorOpened;
    }

    public long prepareStatementId() {
        return prepareStatementId;
    }

    public int prepareColumns() {
        return prepareColumns;
    }

    public int prepareParams() {
        return prepareParams;
    }

    public int packetsSeen() {
        return packetsSeen;
    }

    public Kind kind() {
        return kind;
    }

    /** Column definition frames copied as they pass: a prepare's, or an execution's when the server sent them. */
    private static final class ColumnFrames {
        private final long expected;
        private long added;
        private byte[] bytes;
        private int size;
        /** One of them was not whole in the buffer fed (never for definitions in practice): none are kept. */
        private boolean cut;

        ColumnFrames(long columns) {
            expected = columns;
            bytes = new byte[(int) Math.max(64, Math.min(columns, 1024) * 64)]; // grows for wider results
        }

        /** Every definition came, each whole (an error in between leaves some missing). */
        boolean complete() {
            return !cut && added == expected;
        }

        void add(ByteBuf b, int at, int avail, int len) {
            if (avail < len) {
                cut = true;
                return;
            }
            added++;
            int n = 4 + len;
            if (size + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
            }
            b.getBytes(at, bytes, size, n);
            bytes[size + 3] = 0; // sequence ids differ between a prepare's answer and an execution's
            size += n;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }
}
