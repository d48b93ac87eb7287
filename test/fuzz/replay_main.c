/* The fuzz targets without libFuzzer: a main() that hands every file named
 * on the command line, or found in a folder named there, to
 * LLVMFuzzerTestOneInput, so that the normal build (gcc, ASan, valgrind)
 * replays the committed seeds and every past finding through the same
 * harness code.  A target signals a finding by aborting (or a sanitizer
 * by exiting): each input runs in a child process, so that every failing
 * input is named, and the driver fails if any did, or when it was given
 * nothing to replay.  Prints the counts. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap)
      buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (!buf) {
    fprintf(stderr, "%s: out of memory\n", path);
    return -1;
  }
  /* a copy of exactly |len| bytes, so that ASan sees reads past the end */
  uint8_t *exact = malloc(len ? len : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  memcpy(exact, buf, len);
  free(buf);
  fprintf(stderr, "replay %s (%zu bytes)\n", path, len);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  return 0;
}

static long failed;

/* 0 if |path| was replayed (whether it passed or not: see |failed|). */
static int replay_file(const char *path)
{
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return -1;
  }
  if (pid == 0)
    exit(run_file(path) == 0 ? 0 : 2); /* exit: LeakSanitizer runs */
  int status;
  if (waitpid(pid, &status, 0) != pid) {
    perror("waitpid");
    return -1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
    return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "FAILED %s (%s %d)\n", path,
            WIFSIGNALED(status) ? "signal" : "exit code",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    failed++;
  }
  return 0;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of |dir|, in name order (one run is like another). */
static long replay_dir(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return -1;
  }
  char **names = NULL;
  size_t count = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char **grown = realloc(names, (count + 1) * sizeof(*names));
    if (!grown || !(grown[count] = strdup(e->d_name))) {
      closedir(d);
      return -1;
    }
    names = grown;
    count++;
  }
  closedir(d);
  if (count)
    qsort(names, count, sizeof(*names), by_name);
  long done = 0;
  for (size_t i = 0; i < count; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    struct stat st;
    if (!path ||
        (snprintf(path, len, "%s/%s", dir, names[i]), stat(path, &st) != 0))
      done = -1;
    else if (S_ISREG(st.st_mode))
      done = replay_file(path) == 0 && done >= 0 ? done + 1 : -1;
    /* subfolders are replayed only when named (e.g. open findings) */
    free(path);
    free(names[i]);
  }
  free(names);
  return done;
}

int main(int argc, char **argv)
{
  long total = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      return 1;
    }
    long n = S_ISDIR(st.st_mode) ? replay_dir(argv[i])
                                 : (replay_file(argv[i]) == 0 ? 1 : -1);
    if (n < 0)
      return 1;
    total += n;
  }
  printf("%ld inputs replayed, %ld failed\n", total, failed);
  return total > 0 && failed == 0 ? 0 : 1;
}
