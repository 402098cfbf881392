package dev.junction.core.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.Test;

public class ProtocolTest {

    static {
        dev.junction.core.it.LeakRecorder.install(); // before any buffer class initialises
    }

    private static ByteBuf frame(int len, int seq, int fill) {
        ByteBuf b = Unpooled.buffer(4 + len).writeMediumLE(len).writeByte(seq);
        for (int i = 0; i < len; i++) {
            b.writeByte(fill);
        }
        return b;
    }

    @Test
    public void decoderJoinsFramesOf16Megabytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(64 << 20));
        ch.writeInbound(frame(Packets.MAX_FRAME_PAYLOAD, 0, 1));
        assertNull(ch.readInbound());
        ch.writeInbound(frame(10, 1, 2));
        Packet p = ch.readInbound();
        assertEquals(0, p.seq());
        assertEquals(2, p.frames());
        assertEquals(2, p.nextSeq());
        assertEquals(Packets.MAX_FRAME_PAYLOAD + 10, p.payload().readableBytes());
        p.release();
        assertFalse(ch.finish());
    }

    @Test
    public void decoderRefusesTooLongPackets() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1000));
        try {
            ch.writeInbound(Unpooled.buffer().writeMediumLE(2000).writeByte(0));
            throw new AssertionError("accepted");
        } catch (DecoderException expected) {
            assertTrue(expected instanceof io.netty.handler.codec.TooLongFrameException);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    public void decoderRefusesBrokenContinuationSequence() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(64 << 20));
        try {
            ch.writeInbound(frame(Packets.MAX_FRAME_PAYLOAD, 0, 1));
            ch.writeInbound(frame(1, 5, 1));
            throw new AssertionError("accepted");
        } catch (DecoderException expected) {
            assertTrue(expected instanceof io.netty.handler.codec.CorruptedFrameException);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Feeds one packet to the tracker as a frame and releases everything. */
    private static boolean feed(ResponseTracker t, int seq, ByteBuf payload) {
        ByteBuf b = Unpooled.buffer().writeMediumLE(payload.readableBytes()).writeByte(seq).writeBytes(payload);
        payload.release();
        try {
            return t.onFrame(b);
        } finally {
            b.release();
        }
    }

    @Test
    public void trackerFollowsMultipleResultSetsWithoutDecodingRows() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Kind.QUERY);
        ByteBuf count = Unpooled.buffer().writeByte(1);
        assertFalse(feed(t, 1, count));
        assertFalse(feed(t, 2, Unpooled.wrappedBuffer(new byte[30]))); // column definition
        assertFalse(feed(t, 3, Packets.eof(Unpooled.buffer().alloc(), 0, 0)));
        ByteBuf row = Unpooled.buffer().writeByte(0xfe).writeLongLE(3).writeBytes(new byte[3]); // row starting 0xfe
        assertFalse(feed(t, 4, row));
        assertFalse(feed(t, 5, Packets.eof(Unpooled.buffer().alloc(), ServerStatus.MORE_RESULTS_EXISTS, 0)));
        assertTrue(feed(t, 6, Packets.ok(Unpooled.buffer().alloc(), 0, 0, ServerStatus.IN_TRANS, 0)));
        assertEquals(ServerStatus.IN_TRANS, t.lastStatus());
        assertNull(t.error());
    }

    @Test
    public void trackerFollowsMariadbMetadataCaching() {
        // definitions left out: the EOF comes right after the column count; none are kept
        ResponseTracker skipped = new ResponseTracker(ResponseTracker.Kind.EXECUTE, true, true);
        assertFalse(feed(skipped, 1, Unpooled.buffer().writeByte(2).writeByte(0)));
        assertEquals(ResponseTracker.Role.COLUMN_COUNT, skipped.role());
        assertTrue(skipped.metadataSkipped());
        assertFalse(feed(skipped, 2, Packets.eof(Unpooled.buffer().alloc(), 0, 0)));
        assertEquals(ResponseTracker.Role.OTHER, skipped.role());
        assertFalse(feed(skipped, 3, Unpooled.wrappedBuffer(new byte[] {0, 0, 1, 2})));
        assertTrue(feed(skipped, 4, Packets.eof(Unpooled.buffer().alloc(), ServerStatus.AUTOCOMMIT, 0)));
        assertNull(skipped.columnFrames());
        // definitions follow: kept as frames, headers included
        ResponseTracker sent = new ResponseTracker(ResponseTracker.Kind.EXECUTE, true, true);
        assertFalse(feed(sent, 1, Unpooled.buffer().writeByte(2).writeByte(1)));
        assertFalse(sent.metadataSkipped());
        assertFalse(feed(sent, 2, Unpooled.wrappedBuffer(new byte[] {3, 'd', 'e', 'f'})));
        assertFalse(feed(sent, 3, Unpooled.wrappedBuffer(new byte[] {3, 'd', 'e', 'g'})));
        assertFalse(feed(sent, 4, Packets.eof(Unpooled.buffer().alloc(), 0, 0)));
        assertTrue(feed(sent, 5, Packets.eof(Unpooled.buffer().alloc(), 0, 0)));
        assertEquals(16, sent.columnFrames().length);
        assertEquals('g', sent.columnFrames()[15]);
        assertEquals("sequence ids are not kept", 0, sent.columnFrames()[11]);
        // an error among the definitions: none are kept
        ResponseTracker cut = new ResponseTracker(ResponseTracker.Kind.EXECUTE, true, true);
        assertFalse(feed(cut, 1, Unpooled.buffer().writeByte(2).writeByte(1)));
        assertFalse(feed(cut, 2, Unpooled.wrappedBuffer(new byte[] {3, 'd', 'e', 'f'})));
        assertTrue(feed(cut, 3, Packets.err(Unpooled.buffer().alloc(), 1105, "HY000", "gone")));
        assertNull(cut.columnFrames());
        // a column count without its flag byte is malformed
        ResponseTracker bad = new ResponseTracker(ResponseTracker.Kind.QUERY, true, false);
        try {
            feed(bad, 1, Unpooled.buffer().writeByte(2));
            throw new AssertionError("accepted a column count without the metadata-follows byte");
        } catch (MalformedPacketException expected) {
            // the connection is closed by the caller
        }
    }

    @Test
    public void mariadbCapabilitiesRoundTrip() {
        byte[] scramble = "abcdefghijklmnopqrst".getBytes();
        int caps = Capabilities.OFFERED_TO_CLIENTS & ~Capabilities.CLIENT_MYSQL;
        HandshakeV10 hs = new HandshakeV10("5.5.5-10.11.5-MariaDB", 7, scramble, caps,
                Capabilities.MARIADB_CACHE_METADATA, 45, ServerStatus.AUTOCOMMIT, "mysql_native_password");
        ByteBuf b = hs.encode(Unpooled.buffer().alloc());
        HandshakeV10 back = HandshakeV10.decode(b);
        b.release();
        assertEquals(Capabilities.MARIADB_CACHE_METADATA, back.mariadbCapabilities());
        assertEquals(new String(scramble), new String(back.scramble()));
        HandshakeResponse r = new HandshakeResponse(Capabilities.ALWAYS_TO_SERVERS & ~Capabilities.CLIENT_MYSQL,
                Capabilities.MARIADB_CACHE_METADATA, 1 << 24, 45, "app", new byte[20], null, "mysql_native_password");
        ByteBuf rb = r.encode(Unpooled.buffer().alloc());
        HandshakeResponse rback = HandshakeResponse.decode(rb);
        rb.release();
        assertEquals(Capabilities.MARIADB_CACHE_METADATA, rback.mariadbCapabilities());
        assertEquals("app", rback.user());
        // with CLIENT_MYSQL set the reserved bytes mean nothing
        HandshakeResponse mysql = new HandshakeResponse(Capabilities.ALWAYS_TO_SERVERS, Capabilities.MARIADB_CACHE_METADATA,
                1 << 24, 45, "app", new byte[20], null, "mysql_native_password");
        ByteBuf mb = mysql.encode(Unpooled.buffer().alloc());
        assertEquals(0, HandshakeResponse.decode(mb).mariadbCapabilities());
        mb.release();
    }

    @Test
    public void trackerPassesOverPlainRowsAndStopsAtTheEndOfTheResultSet() {
        ResponseTracker t = new ResponseTracker(ResponseTracker.Kind.EXECUTE);
        ByteBuf b = Unpooled.buffer().writeMediumLE(1).writeByte(1).writeByte(1); // column count
        assertEquals("not in the rows yet", -1, t.skipRows(b, 0, b.writerIndex()));
        assertFalse(t.onFrame(b));
        b.release();
        feed(t, 2, Unpooled.wrappedBuffer(new byte[30]));
        feed(t, 3, Packets.eof(Unpooled.buffer().alloc(), 0, 0));
        int seen = t.packetsSeen();
        ByteBuf run = Unpooled.buffer();
        run.writeMediumLE(3).writeByte(4).writeBytes(new byte[] {0, 0, 7}); // binary row
        run.writeMediumLE(12).writeByte(5).writeByte(0xfe).writeLongLE(2).writeBytes(new byte[3]); // starts with 0xfe
        int lastRow = run.writerIndex();
        run.writeMediumLE(1).writeByte(6).writeByte(0xfb); // text row: one NULL
        int eofAt = run.writerIndex();
        ByteBuf eof = Packets.eof(Unpooled.buffer().alloc(), ServerStatus.AUTOCOMMIT, 0);
        run.writeMediumLE(eof.readableBytes()).writeByte(7).writeBytes(eof);
        eof.release();
        assertEquals(lastRow, t.skipRows(run, 0, run.writerIndex()));
        assertEquals(seen + 3, t.packetsSeen());
        assertEquals("the EOF goes to onFrame", -1, t.skipRows(run, eofAt, run.writerIndex()));
        assertTrue(t.onFrame(run, eofAt, run.writerIndex()));
        assertEquals(ServerStatus.AUTOCOMMIT, t.lastStatus());

        ResponseTracker e = new ResponseTracker(ResponseTracker.Kind.QUERY);
        feed(e, 1, Unpooled.buffer().writeByte(1));
        feed(e, 2, Unpooled.wrappedBuffer(new byte[30]));
        feed(e, 3, Packets.eof(Unpooled.buffer().alloc(), 0, 0));
        ByteBuf rows = Unpooled.buffer();
        rows.writeMediumLE(2).writeByte(4).writeBytes(new byte[] {1, 65}); // text row "A"
        int errAt = rows.writerIndex();
        ByteBuf err = Packets.err(Unpooled.buffer().alloc(), 1317, "70100", "interrupted");
        rows.writeMediumLE(err.readableBytes()).writeByte(5).writeBytes(err);
        err.release();
        int pieceAt = rows.writerIndex();
        rows.writeMediumLE(Packets.MAX_FRAME_PAYLOAD).writeByte(6).writeByte(0); // the start of a 16 MB row
        assertEquals(0, e.skipRows(rows, 0, rows.writerIndex()));
        assertEquals("a 16 MB piece goes to onFrame", -1, e.skipRows(rows, pieceAt, rows.writerIndex()));
        assertEquals("an ERR goes to onFrame", -1, e.skipRows(rows, errAt, rows.writerIndex()));
        assertTrue(e.onFrame(rows, errAt, pieceAt));
        assertEquals(1317, e.error().code());
        run.release();
        rows.release();
    }

    @Test
    public void trackerSeesCursorsErrorsAndLocalInfile() {
        ResponseTracker exec = new ResponseTracker(ResponseTracker.Kind.EXECUTE);
        feed(exec, 1, Unpooled.buffer().writeByte(1));
        feed(exec, 2, Unpooled.wrappedBuffer(new byte[30]));
        assertTrue(feed(exec, 3, Packets.eof(Unpooled.buffer().alloc(), ServerStatus.CURSOR_EXISTS, 0)));
        assertTrue(exec.cursorOpened());

        ResponseTracker err = new ResponseTracker(ResponseTracker.Kind.QUERY);
        assertTrue(feed(err, 1, Packets.err(Unpooled.buffer().alloc(), 1146, "42S02", "no table")));
        assertEquals(1146, err.error().code());

        ResponseTracker load = new ResponseTracker(ResponseTracker.Kind.QUERY);
        assertFalse(feed(load, 1, Unpooled.buffer().writeByte(0xfb).writeBytes("f.csv".getBytes())));
        assertTrue(load.awaitingLocalInfile());
        assertTrue(feed(load, 3, Packets.ok(Unpooled.buffer().alloc(), 5, 0, 0, 0)));
    }

    @Test
    public void aCommandStillBehindItsHeaderIsWrittenInPlaceAnythingElseIsFramedAnew() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ByteBuf read = Unpooled.buffer().writeMediumLE(3).writeByte(7).writeBytes(new byte[] {3, 'x', 'y'});
        read.readerIndex(4); // as the PacketDecoder hands over a command that filled its read
        assertEquals(1, Packets.write(ch, 0, read));
        ch.flush();
        ByteBuf sent = ch.readOutbound();
        assertTrue("the very buffer", sent == read);
        assertEquals(0, sent.readerIndex());
        assertEquals(3, sent.getUnsignedMediumLE(0));
        assertEquals("the sequence id set", 0, sent.getUnsignedByte(3));
        sent.release();

        ByteBuf fresh = Unpooled.buffer().writeBytes(new byte[] {3, 'x', 'y'});
        assertEquals(6, Packets.write(ch, 5, fresh));
        ch.flush();
        ByteBuf framed = ch.readOutbound();
        assertTrue(framed != fresh);
        assertEquals(7, framed.readableBytes());
        assertEquals(5, framed.getUnsignedByte(3));
        framed.release();

        ByteBuf skipped = Unpooled.buffer().writeMediumLE(9).writeByte(0).writeBytes(new byte[] {3, 'x', 'y'});
        skipped.readerIndex(4); // four bytes before the payload that do not announce its length
        Packets.write(ch, 0, skipped);
        ch.flush();
        ByteBuf copy = ch.readOutbound();
        assertTrue(copy != skipped);
        assertEquals(3, copy.getUnsignedMediumLE(0));
        copy.release();
        assertFalse(ch.finish());
    }

    @Test
    public void handshakeRoundTrip() {
        byte[] scramble = "abcdefghijklmnopqrst".getBytes();
        HandshakeV10 hs = new HandshakeV10("5.7.25-Junction-0.1.0", 42, scramble, Capabilities.OFFERED_TO_CLIENTS, 0, 45,
                ServerStatus.AUTOCOMMIT, "mysql_native_password");
        ByteBuf b = hs.encode(Unpooled.buffer().alloc());
        HandshakeV10 back = HandshakeV10.decode(b);
        b.release();
        assertEquals(hs.serverVersion(), back.serverVersion());
        assertEquals(42, back.connectionId());
        assertEquals(new String(scramble), new String(back.scramble()));
        assertEquals(Capabilities.OFFERED_TO_CLIENTS, back.capabilities());
        assertEquals("mysql_native_password", back.authPlugin());
    }
}
