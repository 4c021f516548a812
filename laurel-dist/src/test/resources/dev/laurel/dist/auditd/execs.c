/* execs RATE COUNT: forks and execs /bin/true COUNT times, RATE per second, one at a time
 * (each child is waited for). Prints how many exited 0. Used by AuditdIT. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: execs RATE COUNT\n");
        return 64;
    }
    double rate = atof(argv[1]);
    long count = atol(argv[2]), ok = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        double due = i / rate;
        for (;;) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            double elapsed = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
            if (elapsed >= due) {
                break;
            }
            usleep((useconds_t) ((due - elapsed) * 1e6));
        }
        pid_t pid = fork();
        if (pid == 0) {
            execl("/bin/true", "true", (char *) 0);
            _exit(127);
        }
        int status;
        if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            ok++;
        }
    }
    printf("%ld\n", ok);
    return 0;
}
