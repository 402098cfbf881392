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
    public void handshakeRoundTrip() {
        byte[] scramble = "abcdefghijklmnopqrst".getBytes();
        HandshakeV10 hs = new HandshakeV10("5.7.25-Junction-0.1.0", 42, scramble, Capabilities.OFFERED_TO_CLIENTS, 45,
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
