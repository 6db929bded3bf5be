# fish completion for sv(8) of runit-go: its options, its commands and, after a
# command, the services in $SVDIR. Installed as share/fish/vendor_completions.d/sv.fish,
# which fish reads before the sv.fish it ships.
#
# Without SVDIR, services come from the first of /etc/service, /var/service and
# /service that exists: the directory sv was built with is a build setting that sv
# does not print, and these are the ones runit's distributions build it with.

function __sv_svdir
    if test -n "$SVDIR"
        echo $SVDIR
        return
    end
    for d in /etc/service /var/service /service
        if test -d $d
            echo $d
            return
        end
    end
end

# __sv_state prints what the word under the cursor is, walking the words before it as
# sv's getopt("w:vV") does: first (options, --json or a command), opts (options or a
# command), command (after --), service, or seconds (-w's argument).
function __sv_state
    set -l words (commandline -opc)
    set -l n (count $words)
    set -l opts 1
    set -l i 2
    while test $i -le $n
        set -l w $words[$i]
        if test $opts = 1; and string match -qr -- '^-.' $w
            if string match -q -- -- $w
                set opts 0
            else if test $i = 2; and string match -q -- --json $w
                echo service
                return
            else if string match -qr -- '^-[^w]*w$' $w
                set i (math $i + 1) # -w SEC or -vw SEC: the next word is the seconds
            end
            set i (math $i + 1)
            continue
        end
        echo service
        return
    end
    if test $i -gt (math $n + 1)
        echo seconds
    else if test $opts = 0
        echo command
    else if test $n = 1
        echo first
    else
        echo opts
    end
end

function __sv_is
    contains -- (__sv_state) $argv
end

# __sv_services lists the services: directories in SVDIR (and links to them), their
# subdirectories after a slash (foo/log), and plain directories for a path.
function __sv_services
    set -l cur (commandline -ct)
    if string match -qr '^[/.]' -- $cur
        __fish_complete_directories $cur
        return
    end
    set -l dir (__sv_svdir)
    test -n "$dir"; or return
    test $dir = /; or set dir (string replace -r '/+$' '' -- $dir)
    for d in $dir/$cur*/
        string replace -- $dir/ '' (string replace -r '/$' '' -- $d)\tservice
    end
end

complete -c sv -f
complete -c sv -n '__sv_is first opts' -s v -d 'wait for the new state and report it'
complete -c sv -n '__sv_is first opts' -s w -x -d 'wait at most SEC seconds (implies -v)'
complete -c sv -n '__sv_is first opts' -s V -d 'print the version'
complete -c sv -n '__sv_is first' -l json -d 'print the status as JSON'
complete -c sv -n '__sv_is service' -a '(__sv_services)'

# Commands, each followed by its description.
set -l commands \
    status 'print the state of the service and its log' \
    up 'start the service and keep it running' \
    down 'stop the service and keep it stopped' \
    once 'start the service, do not restart it' \
    pause 'send STOP' cont 'send CONT' hup 'send HUP' alarm 'send ALRM' \
    interrupt 'send INT' quit 'send QUIT' 1 'send USR1' 2 'send USR2' \
    term 'send TERM' kill 'send KILL' \
    exit 'stop the service, then its runsv' \
    start 'up, and wait for it' stop 'down, and wait for it' \
    reload 'hup, and wait for it' restart 'term, cont, up, and wait for it' \
    shutdown 'exit, and wait for it' try-restart 'term and cont if it runs' \
    check 'wait until the service is as it is meant to be' \
    force-stop 'stop, KILL on timeout' force-reload 'term, cont, KILL on timeout' \
    force-restart 'restart, KILL on timeout' force-shutdown 'shutdown, KILL on timeout' \
    enable 'link the service into the service directory' disable 'remove its link' \
    list 'which services are enabled'
for i in (seq 1 2 (count $commands))
    complete -c sv -n '__sv_is first opts command' -a $commands[$i] -d $commands[(math $i + 1)]
end
