/*
 * probe: records exactly what it was started with, for the hostile-input tests.
 *
 * Output (one record, every field NUL-terminated, counts in decimal):
 *   "pvpn-probe/1" "argv" <argc> <argv[0]> ... "environ" <envc> <environ[0]> ... "end"
 * The counts make the record unambiguous whatever the strings hold; "end" proves it is complete.
 *
 * Where it goes depends on the name it is started under (basename of argv[0]):
 *   probe      file descriptor 3, which the caller opens (dash <run> once 3>file)
 *   probe-shm  the existing file /dev/shm/pvpn-probe.record, truncated (systemd gives a service no fd 3; with
 *              the generated hardening, ProtectSystem=strict and PrivateTmp=yes, /dev/shm is the one place both
 *              the service and the test reach). The caller creates it root-owned and world-writable first:
 *              RemoveIPC=yes deletes the service user's files in /dev/shm when the unit stops. No O_CREAT:
 *              a missing file is the caller's mistake and fails loudly.
 * Exits 0 when the whole record was written, 111 otherwise (with a message on stderr).
 * Built with -static so that no dynamic loader reads the (hostile) environment before main().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define SHM_RECORD "/dev/shm/pvpn-probe.record"

static int out_fd = -1;

static void fail(const char *what) {
  const char *why = strerror(errno);
  /* stderr only: no stdio buffering games, the environment may hold anything */
  (void)!write(2, "probe: ", 7);
  (void)!write(2, what, strlen(what));
  (void)!write(2, ": ", 2);
  (void)!write(2, why, strlen(why));
  (void)!write(2, "\n", 1);
  _exit(111);
}

static void put(const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(out_fd, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    s += w;
    n -= (size_t)w;
  }
}

/* one field, with its terminating NUL */
static void field(const char *s) { put(s, strlen(s) + 1); }

static void count(size_t n) {
  char buf[32];
  snprintf(buf, sizeof buf, "%zu", n);
  field(buf);
}

int main(int argc, char **argv) {
  const char *name = argc > 0 && argv[0] ? argv[0] : "";
  const char *slash = strrchr(name, '/');
  const char *base = slash ? slash + 1 : name;

  if (strcmp(base, "probe-shm") == 0) {
    out_fd = open(SHM_RECORD, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
    if (out_fd < 0) fail("open " SHM_RECORD);
  } else {
    out_fd = 3;
    if (fcntl(out_fd, F_GETFD) < 0) fail("fd 3 is not open");
  }

  size_t envc = 0;
  while (environ && environ[envc]) envc++;

  field("pvpn-probe/1");
  field("argv");
  count((size_t)argc);
  for (int i = 0; i < argc; i++) field(argv[i]);
  field("environ");
  count(envc);
  for (size_t i = 0; i < envc; i++) field(environ[i]);
  field("end");

  if (out_fd != 3 && close(out_fd) < 0) fail("close");
  return 0;
}
