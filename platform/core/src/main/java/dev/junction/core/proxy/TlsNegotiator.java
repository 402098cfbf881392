package dev.junction.core.proxy;

import dev.junction.core.protocol.Capabilities;
import dev.junction.core.protocol.HandshakeResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * First handler of a client pipeline when TLS is configured. Looks at the client's first packet: an
 * SSLRequest (32-byte payload with the SSL flag, sequence id 1) is consumed and this handler replaces
 * itself with an SslHandler, which receives any bytes that followed (the TLS ClientHello); the command
 * handlers then get {@link #STARTED}. Anything else passes on untouched.
 */
final class TlsNegotiator extends ByteToMessageDecoder {

    /** User event: TLS was requested and set up; the handshake response will carry sequence id 2. */
    static final Object STARTED = new Object() {
        @Override
        public String toString() {
            return "TLS started";
        }
    };

    private final SslContext sslContext;

    TlsNegotiator(SslContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int start = in.readerIndex();
        int len = in.getUnsignedMediumLE(start);
        int seq = in.getUnsignedByte(start + 3);
        boolean sslRequest = len == HandshakeResponse.SSL_REQUEST_LENGTH && seq == 1;
        if (sslRequest && in.readableBytes() < 4 + len) {
            return;
        }
        if (sslRequest && (in.getIntLE(start + 4) & Capabilities.SSL) != 0) {
            in.skipBytes(4 + len);
            ctx.fireUserEventTriggered(STARTED);
            ctx.pipeline().replace(this, "tls", sslContext.newHandler(ctx.alloc()));
        } else {
            ctx.pipeline().remove(this);
        }
    }
}
