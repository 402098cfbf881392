package dev.junction.api.topology;

/**
 * A zone: servers in one machine room.
 *
 * @param name zone name
 * @param region the city the zone is in
 * @param idc the machine room (IDC) name
 * @param merging whether the zone is in its daily merge (routed after the others)
 * @param readOnly whether the zone only serves reads
 */
public record Zone(String name, String region, String idc, boolean merging, boolean readOnly) {
}
