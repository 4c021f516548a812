package dev.laurel.plugins.translate;

import dev.laurel.api.Value;

/**
 * The io_uring operations the kernel audits, by number ({@code enum io_uring_op} of the kernel's
 * {@code include/uapi/linux/io_uring.h}; the auditable ones as audit-userspace's
 * {@code lib/uringop_table.h} lists them, see NOTICE), for URINGOP's {@code uring_op}.
 */
final class UringOps {
    private static final String TABLE = "9=sendmsg 10=recvmsg 13=accept 16=connect 17=fallocate 18=openat "
            + "19=close 28=openat2 34=shutdown 35=renameat 36=unlinkat 37=mkdirat 38=symlinkat 39=linkat "
            + "40=msg_ring 41=fsetxattr 42=setxattr 43=fgetxattr 44=getxattr 46=uring_cmd 48=sendmsg_zc "
            + "50=waitid 51=futex_wait 52=futex_wake 53=futex_waitv 54=fixed_fd_install 55=ftruncate "
            + "56=bind 57=listen";
    private static final Value.Text[] NAMES = build();

    private UringOps() {
    }

    private static Value.Text[] build() {
        Value.Text[] names = new Value.Text[64];
        for (String entry : TABLE.split(" ")) {
            int eq = entry.indexOf('=');
            names[Integer.parseInt(entry.substring(0, eq))] = Value.text(entry.substring(eq + 1));
        }
        return names;
    }

    /** The operation's name, or {@code null} for a number the table lacks (as LAUREL 0.8: no URING_OP then). */
    static Value.Text name(long op) {
        return op >= 0 && op < NAMES.length ? NAMES[(int) op] : null;
    }
}
