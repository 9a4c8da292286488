/** The text `pvpn-gen init` writes. A test checks that it validates. */
export const STARTER_SPEC = `# yaml-language-server: $schema=https://unpkg.com/pvpn-gen/schema/pvpn-gen.schema.json
# pvpn-gen spec: one file, many services. \`pvpn-gen validate\` checks it, \`pvpn-gen diff\` shows what
# \`sudo pvpn-gen install\` would change. Every setting is described in the README ("Spec reference").
version: 1

# Settings every service gets unless it sets its own (objects such as environment merge key by key).
defaults:
  hardening: strict          # none | basic | strict
  limits: { memory: 100M, nofile: 1024 }

services:
  # A periodic job: runs every hour (plus up to 5 minutes at random), first 2 minutes after boot.
  example-job:
    description: Example periodic job
    command: [/usr/local/bin/example, --update]      # argv: program (absolute path) first
    # precondition: [/usr/local/bin/example, --check] # a non-zero exit skips the run without failing it
    interval: 1h                                       # or: calendar: "*-*-* 03:00:00"
    randomizedDelay: 5m
    onBoot: 2m
    user: example                                      # created at install if missing; or dynamicUser: true
    workingDirectory: /var/lib/example
    environment:
      EXAMPLE_MODE: production
    # environmentFile: /etc/example/secrets.env       # secrets stay out of the world-readable unit files
    limits: { memory: 50M, cpu: 10%, runtime: 10min }
    logging: { dir: /var/log/example-job, maxSize: 1M, keep: 10 }   # runit (svlogd); systemd uses the journal

  # A daemon: no interval or calendar; restarted when it fails.
  # example-daemon:
  #   command: [/usr/local/bin/example-daemon, --foreground]
  #   restart: on-failure
  #   restartDelay: 5s
`;
