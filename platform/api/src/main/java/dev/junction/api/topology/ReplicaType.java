package dev.junction.api.topology;

/** OceanBase replica types; LOGONLY replicas cannot serve reads. */
public enum ReplicaType {
    FULL, LOGONLY, READONLY
}
