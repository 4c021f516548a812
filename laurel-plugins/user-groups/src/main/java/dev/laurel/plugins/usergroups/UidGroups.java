package dev.laurel.plugins.usergroups;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LAUREL 0.8's {@code SYSCALL.UID_GROUPS} ({@code style: laurel-0.8}): the names of the groups the
 * user database gives the event's {@code uid}, as {@code getgrouplist(3)} lists them: the user's
 * primary group first, then every group that names the user as a member, in the group file's
 * order; a gid the group file does not name is {@code "#<gid>"}. No field for a uid the passwd
 * file does not list. Both files are read once, at start.
 *
 * <pre>{@code
 * "uid":1000, ... "UID_GROUPS":["user","adm","sudo"]
 * }</pre>
 */
final class UidGroups implements Enricher {
    private final Map<Long, Value> byUid;

    UidGroups(List<String> passwd, List<String> group) {
        this.byUid = Map.copyOf(groupsByUid(passwd, group));
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        Value groups = byUid.get(sc.getLong("uid", -1));
        if (groups != null) {
            sc.set("UID_GROUPS", groups);
        }
    }

    /** Every uid of the passwd lines to the list of its group names. */
    static Map<Long, Value> groupsByUid(List<String> passwd, List<String> group) {
        Map<Long, String> groupNames = UserGroupsFactory.groupNames(group);
        Map<String, List<Long>> memberOf = new HashMap<>();
        for (String line : group) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || line.startsWith("#")) {
                continue;
            }
            long gid = number(f[2]);
            if (gid < 0) {
                continue;
            }
            for (String member : f[3].split(",")) {
                if (!member.isEmpty()) {
                    memberOf.computeIfAbsent(member, m -> new ArrayList<>()).add(gid);
                }
            }
        }
        Map<Long, Value> out = new HashMap<>();
        for (String line : passwd) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || f[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            long uid = number(f[2]);
            long primary = number(f[3]);
            if (uid < 0 || primary < 0 || out.containsKey(uid)) {
                continue;       // the first entry of a uid is the one getpwuid gives
            }
            Set<Long> gids = new LinkedHashSet<>();
            gids.add(primary);
            gids.addAll(memberOf.getOrDefault(f[0], List.of()));
            List<Value> names = new ArrayList<>(gids.size());
            for (long gid : gids) {
                String name = groupNames.get(gid);
                names.add(Value.text(name != null ? name : "#" + gid));
            }
            out.put(uid, Value.list(names));
        }
        return out;
    }

    private static long number(String s) {
        try {
            long n = Long.parseLong(s);
            return n >= 0 && n <= 0xffffffffL ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
