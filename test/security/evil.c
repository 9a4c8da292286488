/*
 * A library the attack jobs preload (LD_PRELOAD in the spec or the environment file). Loaded by a process running
 * as root, it leaves a canary no attack can fake otherwise: /root/pvpn-preloaded-as-root, with that process's
 * name. Loaded as any other user (the job itself: its own business), it only marks /tmp/pvpn-preloaded-as-UID, which
 * shows the variable did reach the job.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void preloaded(void) {
	char comm[64] = "?";
	int self = open("/proc/self/comm", O_RDONLY);
	if (self >= 0) {
		ssize_t n = read(self, comm, sizeof comm - 1);
		comm[n > 0 ? n : 0] = 0;
		close(self);
	}
	char path[64];
	if (geteuid() == 0) snprintf(path, sizeof path, "/root/pvpn-preloaded-as-root");
	else snprintf(path, sizeof path, "/tmp/pvpn-preloaded-as-%d", (int)geteuid());
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd >= 0) {
		write(fd, comm, strlen(comm));
		close(fd);
	}
}
