# sv(8) looks for services in /service by default, as upstream runit does; this
# system keeps them in /etc/service (a link to the current runlevel).
[ -n "${SVDIR:-}" ] || SVDIR=/etc/service
export SVDIR
