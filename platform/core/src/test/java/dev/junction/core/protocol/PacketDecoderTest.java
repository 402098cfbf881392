package dev.junction.core.protocol;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class PacketDecoderTest {

    static {
        dev.junction.core.it.LeakRecorder.install(); // before any buffer class initialises
    }

    private static byte[] payload(int seq, int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seq * 17 + i);
        }
        return p;
    }

    /** Frames with these payload lengths, sequence ids 0, 1, 2, ... */
    private static byte[] stream(int... lengths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int seq = 0; seq < lengths.length; seq++) {
            int len = lengths[seq];
            out.write(len);
            out.write(len >> 8);
            out.write(len >> 16);
            out.write(seq);
            out.writeBytes(payload(seq, len));
        }
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in reads cut at {@code cuts}; returns the packets decoded (the inputs go to {@code inputs}). */
    private static List<Packet> feed(List<ByteBuf> inputs, byte[] bytes, int... cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1 << 20));
        int from = 0;
        int[] all = java.util.Arrays.copyOf(cuts, cuts.length + 1);
        all[cuts.length] = bytes.length;
        for (int cut : all) {
            ByteBuf b = Unpooled.copiedBuffer(bytes, from, cut - from);
            inputs.add(b);
            ch.writeInbound(b);
            from = cut;
        }
        List<Packet> packets = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            packets.add((Packet) o);
        }
        assertFalse(ch.finish());
        return packets;
    }

    /** Checks the packets decoded from {@code cuts} of a stream of these payloads, releases them, and the reads with them. */
    private static void assertPackets(String what, byte[] stream, int[] cuts, int... lengths) {
        List<ByteBuf> inputs = new ArrayList<>();
        List<Packet> packets = feed(inputs, stream, cuts);
        assertEquals(what, lengths.length, packets.size());
        for (int seq = 0; seq < lengths.length; seq++) {
            Packet p = packets.get(seq);
            assertEquals(what, seq, p.seq());
            assertEquals(what, 1, p.frames());
            assertArrayEquals(what, payload(seq, lengths[seq]), ByteBufUtil.getBytes(p.payload()));
            p.release();
        }
        for (ByteBuf in : inputs) {
            assertEquals(what + ": every read is released with its packets", 0, in.refCnt());
        }
    }

    @Test
    public void aReadHoldingOneCommandBecomesItsPayload() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1 << 20));
        ByteBuf in = Unpooled.copiedBuffer(stream(33));
        ch.writeInbound(in);
        Packet p = ch.readInbound();
        assertTrue("the read buffer itself, past the header", p.payload() == in);
        assertEquals(4, in.readerIndex());
        assertArrayEquals(payload(0, 33), ByteBufUtil.getBytes(p.payload()));
        assertTrue(p.release());
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    public void everyCutPointYieldsTheSamePackets() {
        int[] lengths = {5, 0, 40, 1, 3};
        byte[] s = stream(lengths);
        assertPackets("one read", s, new int[0], lengths);
        for (int a = 1; a < s.length; a++) {
            assertPackets("cut at " + a, s, new int[] {a}, lengths);
            for (int b = a + 1; b < s.length; b++) {
                assertPackets("cuts at " + a + ", " + b, s, new int[] {a, b}, lengths);
            }
        }
    }

    @Test
    public void aTooLongPacketAfterGoodOnesIsRefusedAndTheRestDropped() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(100));
        ByteBuf in = Unpooled.buffer().writeBytes(stream(10)).writeMediumLE(200).writeByte(1).writeZero(200);
        try {
            ch.writeInbound(in);
            fail("accepted");
        } catch (TooLongFrameException expected) {
            // the connection is closed by the handler that hears it
        }
        Packet good = ch.readInbound();
        assertEquals(10, good.payload().readableBytes());
        good.release();
        assertEquals("the read is released once its good packet is", 0, in.refCnt());
        ByteBuf more = Unpooled.copiedBuffer(stream(1));
        ch.writeInbound(more);
        assertNull("nothing after a refused packet is decoded", ch.readInbound());
        assertEquals(0, more.refCnt());
        assertFalse(ch.finish());
    }
}
