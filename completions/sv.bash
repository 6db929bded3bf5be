# bash completion for sv(8) of runit-go: its options, its commands and, after a
# command, the services in $SVDIR. Installed as share/bash-completion/completions/sv;
# it needs nothing from the bash-completion package.
#
# Without SVDIR, services come from the first of /etc/service, /var/service and
# /service that exists: the directory sv was built with is a build setting that sv
# does not print, and these are the ones runit's distributions build it with.

_sv_svdir() {
	local d
	if [[ -n ${SVDIR-} ]]; then
		printf '%s\n' "$SVDIR"
		return
	fi
	for d in /etc/service /var/service /service; do
		if [[ -d $d ]]; then
			printf '%s\n' "$d"
			return
		fi
	done
}

_sv() {
	local cur=${COMP_WORDS[COMP_CWORD]} i=1 w cmd='' opts=1 dir d
	local commands='status up down once pause cont hup alarm interrupt quit 1 2 term kill
		exit start stop reload restart shutdown try-restart check
		force-stop force-reload force-restart force-shutdown enable disable list'
	COMPREPLY=()

	# Walk the words before the cursor as sv's getopt("w:vV") does, to find the command.
	while ((i < COMP_CWORD)); do
		w=${COMP_WORDS[i]}
		if ((opts)) && [[ $w == -?* ]]; then
			if [[ $w == -- ]]; then
				opts=0
			elif ((i == 1)) && [[ $w == --json ]]; then
				cmd=$w
				break
			elif [[ ${w%%w*}w == "$w" ]]; then
				((i++)) # -w SEC or -vw SEC: the next word is the seconds
			fi
			((i++))
			continue
		fi
		cmd=$w
		break
	done
	# The cursor is on -w's seconds: a number, nothing to offer.
	((i > COMP_CWORD)) && return 0

	if [[ -z $cmd ]]; then
		if ((opts)) && [[ $cur == -* ]]; then
			w='-v -w -V'
			((COMP_CWORD == 1)) && w+=' --json'
			mapfile -t COMPREPLY < <(compgen -W "$w" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
		fi
		return 0
	fi

	# A service starting with / or . is a path, as sv takes it.
	if [[ $cur == [/.]* ]]; then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return 0
	fi
	# Any other name is looked up in SVDIR: offer its directories (and links to them),
	# and their subdirectories after a slash (foo/log).
	dir=$(_sv_svdir)
	[[ -n $dir ]] || return 0
	[[ $dir == / ]] || dir=${dir%/}
	for d in "$dir/$cur"*/; do
		[[ -d $d ]] || continue
		d=${d%/}
		COMPREPLY+=("${d#"$dir"/}")
	done
	return 0
}

complete -F _sv sv
