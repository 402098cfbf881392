package dev.junction.core.proxy;

import dev.junction.core.auth.Account;
import dev.junction.core.auth.AccountKey;
import dev.junction.core.auth.LoginName;
import dev.junction.core.auth.NativePassword;
import dev.junction.core.cluster.ClusterConfig;
import dev.junction.core.cluster.TenantConfig;
import dev.junction.core.protocol.Capabilities;
import dev.junction.core.protocol.ErrorCodes;
import dev.junction.core.protocol.MysqlError;
import dev.junction.core.protocol.Packet;
import dev.junction.core.protocol.Packets;
import dev.junction.core.protocol.Wire;
import dev.junction.core.session.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * COM_CHANGE_USER: checks the new account like a login (switching to mysql_native_password when the
 * client used another plugin), then starts a fresh session state; server connections are reopened lazily.
 * A refused change closes the connection.
 */
final class ChangeUserCommand {

    private final CommandHandler commands;
    private final ClientSession session;
    private Pending pending;

    private record Pending(Account account, TenantConfig tenant, String user, String database, int collation,
            byte[] scramble, int expectedSeq) {
    }

    ChangeUserCommand(CommandHandler commands) {
        this.commands = commands;
        this.session = commands.session();
    }

    boolean awaitingSwitchResponse() {
        return pending != null;
    }

    void start(Packet p) {
        ByteBuf in = p.payload().duplicate().skipBytes(1);
        String userName = Wire.readNulString(in, StandardCharsets.UTF_8);
        byte[] token;
        if ((session.clientCapabilities() & Capabilities.SECURE_CONNECTION) != 0) {
            Wire.need(in, 1);
            int n = in.readUnsignedByte();
            Wire.need(in, n);
            token = new byte[n];
            in.readBytes(token);
        } else {
            token = Wire.readNulString(in, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
        }
        String db = in.isReadable() ? Wire.readNulOrEofString(in, StandardCharsets.ISO_8859_1) : "";
        int collation = 0;
        if (in.readableBytes() >= 2) {
            collation = in.readUnsignedShortLE() & 0xff;
        }
        String plugin = null;
        if ((session.clientCapabilities() & Capabilities.PLUGIN_AUTH) != 0 && in.isReadable()) {
            plugin = Wire.readNulOrEofString(in, StandardCharsets.UTF_8);
        }
        var cfg = commands.context().config();
        LoginName name = LoginName.parse(userName).withDefaults(cfg.defaultTenant(), cfg.defaultCluster());
        ClusterConfig cluster = commands.context().clusters().find(name.cluster());
        TenantConfig tenant = commands.context().clusters().tenant(cluster, name.tenant());
        if (tenant == null) {
            refuse(p.nextSeq(), "Access denied for user '" + userName + "': unknown cluster or tenant");
            return;
        }
        Account account = commands.context().accounts().find(new AccountKey(name.user(), tenant.name(), cluster.name()));
        boolean nativeToken = (plugin == null || NativePassword.PLUGIN.equals(plugin))
                && (token.length == 0 || token.length == NativePassword.SCRAMBLE_LENGTH);
        Pending pend = new Pending(account, tenant, name.user(), db.isEmpty() ? null : db, collation,
                commands.scramble(), 0);
        if (nativeToken) {
            finish(pend, token, p.nextSeq());
            return;
        }
        byte[] scramble = NativePassword.newScramble();
        ByteBuf sw = session.channel().alloc().buffer(64).writeByte(0xfe);
        Wire.writeNulString(sw, NativePassword.PLUGIN);
        sw.writeBytes(scramble).writeByte(0);
        Packets.write(session.channel(), p.nextSeq(), sw);
        pending = new Pending(account, tenant, name.user(), pend.database(), collation, scramble, (p.nextSeq() + 1) & 0xff);
    }

    void switchResponse(Packet p) {
        Pending pend = pending;
        pending = null;
        if (p.seq() != pend.expectedSeq()) {
            refuse(p.nextSeq(), "Got packets out of order");
            return;
        }
        finish(pend, ByteBufUtil.getBytes(p.payload()), p.nextSeq());
    }

    private void finish(Pending pend, byte[] token, int seq) {
        byte[] stage1 = pend.account() == null ? null : NativePassword.verify(pend.account().stage2(), pend.scramble(), token);
        if (stage1 == null) {
            refuse(seq, "Access denied for user '" + pend.user() + "' (using password: " + (token.length > 0 ? "YES" : "NO")
                    + ")");
            return;
        }
        session.reset();
        session.login(pend.account(), stage1, pend.tenant(), session.clientCapabilities(),
                pend.collation() == 0 ? 45 : pend.collation(), pend.database());
        commands.replyOk(seq);
        session.channel().flush();
        commands.done();
    }

    private void refuse(int seq, String message) {
        commands.replyError(seq, new MysqlError(ErrorCodes.ACCESS_DENIED, "28000", message));
        session.channel().flush();
        commands.closeClient();
    }
}
