package dev.junction.ldc;

import dev.junction.api.session.SessionInfo;
import dev.junction.api.statement.StatementInfo;
import dev.junction.api.statement.StatementType;
import dev.junction.api.statement.TableName;
import dev.junction.api.topology.Replica;
import dev.junction.api.topology.ReplicaRole;
import dev.junction.api.topology.ReplicaType;
import dev.junction.api.topology.ServerAddress;
import dev.junction.api.topology.ServerState;
import dev.junction.api.topology.Zone;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Hand-built statements, sessions and replicas for pure policy tests. */
final class Fakes {

    private Fakes() {
    }

    static Replica replica(int port, String zone, String region, String idc, ReplicaRole role, boolean merging) {
        return new Replica(new ServerAddress("127.0.0.1", port), new Zone(zone, region, idc, merging, false), role,
                ReplicaType.FULL, ServerState.ACTIVE);
    }

    static StatementInfo statement(StatementType type) {
        return new StatementInfo() {
            @Override
            public String sql() {
                return type + " ...";
            }

            @Override
            public StatementType type() {
                return type;
            }

            @Override
            public boolean parsed() {
                return true;
            }

            @Override
            public List<TableName> tables() {
                return List.of();
            }

            @Override
            public boolean weakReadHint() {
                return false;
            }

            @Override
            public OptionalLong queryTimeoutMicros() {
                return OptionalLong.empty();
            }

            @Override
            public Optional<ServerAddress> targetServer() {
                return Optional.empty();
            }
        };
    }

    static final class Session implements SessionInfo {
        final Map<String, String> userVariables = new HashMap<>();
        String cluster = "demo";

        @Override
        public long id() {
            return 7;
        }

        @Override
        public String user() {
            return "app";
        }

        @Override
        public String tenant() {
            return "app";
        }

        @Override
        public String cluster() {
            return cluster;
        }

        @Override
        public InetSocketAddress clientAddress() {
            return new InetSocketAddress("127.0.0.1", 5555);
        }

        @Override
        public Optional<String> database() {
            return Optional.empty();
        }

        @Override
        public boolean inTransaction() {
            return false;
        }

        @Override
        public Optional<String> systemVariable(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> userVariable(String name) {
            return Optional.ofNullable(userVariables.get(name));
        }
    }
}
