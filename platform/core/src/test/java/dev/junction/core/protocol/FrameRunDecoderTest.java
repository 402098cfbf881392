package dev.junction.core.protocol;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class FrameRunDecoderTest {

    static {
        dev.junction.core.it.LeakRecorder.install(); // before any buffer class initialises
    }

    private static byte[] frame(int seq, int payloadLength) {
        byte[] f = new byte[4 + payloadLength];
        f[0] = (byte) payloadLength;
        f[1] = (byte) (payloadLength >> 8);
        f[2] = (byte) (payloadLength >> 16);
        f[3] = (byte) seq;
        for (int i = 0; i < payloadLength; i++) {
            f[4 + i] = (byte) (seq * 31 + i);
        }
        return f;
    }

    private static byte[] stream(int... payloadLengths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < payloadLengths.length; i++) {
            out.writeBytes(frame(i, payloadLengths[i]));
        }
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in reads cut at {@code cuts}; returns what came out, each buffer's bytes. */
    private static List<byte[]> feed(byte[] bytes, int... cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameRunDecoder());
        List<ByteBuf> inputs = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            ByteBuf b = Unpooled.copiedBuffer(bytes, from, cut - from);
            inputs.add(b);
            ch.writeInbound(b);
            from = cut;
        }
        ByteBuf last = Unpooled.copiedBuffer(bytes, from, bytes.length - from);
        inputs.add(last);
        ch.writeInbound(last);
        List<byte[]> runs = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ByteBuf run = (ByteBuf) o;
            runs.add(ByteBufUtil.getBytes(run));
            run.release();
        }
        assertFalse(ch.finish());
        for (ByteBuf in : inputs) {
            assertEquals("every input buffer is released", 0, in.refCnt());
        }
        return runs;
    }

    private static byte[] concat(List<byte[]> runs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        runs.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Whether a run holds whole frames only. */
    private static boolean wholeFrames(byte[] run) {
        int i = 0;
        while (i < run.length) {
            if (run.length - i < 4) {
                return false;
            }
            i += 4 + ((run[i] & 0xff) | (run[i + 1] & 0xff) << 8 | (run[i + 2] & 0xff) << 16);
        }
        return i == run.length;
    }

    @Test
    public void aReadOfCompleteFramesIsPassedOnAsItCame() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameRunDecoder());
        ByteBuf in = Unpooled.copiedBuffer(stream(1, 5, 0, 40));
        ch.writeInbound(in);
        ByteBuf out = ch.readInbound();
        assertTrue("the same buffer, no copy or slice", out == in);
        assertNull(ch.readInbound());
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    public void everyCutPointYieldsTheSameBytesInWholeFrames() {
        byte[] s = stream(1, 5, 0, 40, 3);
        for (int cut = 1; cut < s.length; cut++) {
            List<byte[]> runs = feed(s, cut);
            assertArrayEquals("cut at " + cut, s, concat(runs));
            for (byte[] run : runs) {
                assertTrue("cut at " + cut, wholeFrames(run));
            }
        }
        for (int a = 1; a < s.length; a++) {
            for (int b = a + 1; b < s.length; b++) {
                List<byte[]> runs = feed(s, a, b);
                assertArrayEquals("cuts at " + a + ", " + b, s, concat(runs));
                runs.forEach(r -> assertTrue(wholeFrames(r)));
            }
        }
    }

    @Test
    public void aLargeFrameArrivingInManyReadsComesOutWhole() {
        byte[] s = stream(200_000, 7);
        int[] cuts = new int[40];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * 5_000;
        }
        List<byte[]> runs = feed(s, cuts);
        assertArrayEquals(s, concat(runs));
        runs.forEach(r -> assertTrue(wholeFrames(r)));
    }

    @Test
    public void anIncompleteFrameLeftAtCloseIsReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameRunDecoder());
        byte[] s = stream(10, 10);
        ByteBuf in = Unpooled.copiedBuffer(s, 0, s.length - 3);
        ch.writeInbound(in);
        ByteBuf first = ch.readInbound();
        assertEquals(14, first.readableBytes());
        first.release();
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
        assertEquals(0, in.refCnt());
    }
}
