/*
 * The floor of a live audit plugin: read auditd's records in 40 ms windows, as laurel does, and
 * append them unchanged to a file; no parsing, no JSON. bench/live-side-by-side.sh FLOOR=1 runs
 * it under auditd next to LAUREL and laurel, so the kernel's share of reading auditd's socket
 * and writing a file is measured on the same machine in the same run.
 *
 *   windowed-copy OUTPUT [WINDOW_MS]      (default 40; 0 copies without waiting)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 20];

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: windowed-copy OUTPUT [WINDOW_MS]\n");
        return 2;
    }
    long ms = argc == 3 ? atol(argv[2]) : 40;
    int out = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0640);
    if (out < 0) {
        perror(argv[1]);
        return 1;
    }
    const struct timespec window = {ms / 1000, ms % 1000 * 1000 * 1000};
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        if (ms > 0) nanosleep(&window, NULL);
        int queued = 0;
        while (ioctl(0, FIONREAD, &queued) == 0 && queued > 0 && n < (ssize_t) sizeof buf) {
            ssize_t more = read(0, buf + n, sizeof buf - n);
            if (more <= 0) break;
            n += more;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, n - done);
            if (w < 0) {
                perror(argv[1]);
                return 1;
            }
            done += w;
        }
    }
    return 0;
}
