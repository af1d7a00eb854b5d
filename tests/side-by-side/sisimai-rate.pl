#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
#
# Sisimai's side of sisimai-vs-smtpstatus.sh: parse every file in-process
# and print how long that took, as key=value lines.
#
#   sisimai-rate.pl [--rounds N] [--counts FILE] FILE...
#
# The module is loaded and every file read into memory before the clock
# starts; one untimed round first lets Sisimai load its MTA modules and fill
# its caches. Each round is timed alone. A timed round is what Sisimai->make does per message, minus its
# mailbox reader: Sisimai::Message->new on the text, then Sisimai::Data->make
# on the result (no "delivered" records, Sisimai's default). --counts writes
# "records<TAB>path" per file, for comparing with smtpstatus.
use strict;
use warnings;
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC);

my $rounds = 5;
my $counts;
while (@ARGV && $ARGV[0] =~ /\A--/) {
    my $opt = shift @ARGV;
    last if $opt eq '--';
    if    ($opt eq '--rounds') { $rounds = shift @ARGV // ''; }
    elsif ($opt eq '--counts') { $counts = shift @ARGV // ''; }
    else { die "sisimai-rate.pl: unknown option $opt\n"; }
}
die "usage: sisimai-rate.pl [--rounds N] [--counts FILE] FILE...\n"
    unless @ARGV && $rounds =~ /\A[1-9][0-9]*\z/;

# Sisimai 4.x: Sisimai::Message + Sisimai::Data. Sisimai 5 renamed these
# (Sisimai->rise, Sisimai::Fact), which this script does not drive.
eval { require Sisimai; require Sisimai::Message; require Sisimai::Data; 1 }
    or die "sisimai-rate.pl: cannot load Sisimai 4.x (Sisimai::Message, Sisimai::Data): $@";

my (@paths, @texts);
my $bytes = 0;
for my $path (@ARGV) {
    open(my $fh, '<:raw', $path) or die "sisimai-rate.pl: $path: $!\n";
    my $text = do { local $/; <$fh> };
    close $fh;
    push @paths, $path;
    push @texts, $text;
    $bytes += length $text;
}

# Sisimai->make reads a file as an mbox, a new message at every line that
# starts with "From " (Sisimai::Mail::Mbox); split the same way, untimed.
my @messages = map { [split /(?<=\n)(?=From )/, $_] } @texts;

# One pass over every file; returns the number of records per file.
sub parse_all {
    my @found;
    for my $i (0 .. $#messages) {
        my $n = 0;
        for my $text (@{ $messages[$i] }) {
            my $mesg = Sisimai::Message->new('data' => $text) or next;
            my $data = Sisimai::Data->make('data' => $mesg, 'origin' => $paths[$i]);
            $n += scalar @$data if $data;
        }
        push @found, $n;
    }
    return \@found;
}

my $found = parse_all();    # warm-up, and the per-file counts
# The fastest round is the figure: on a shared machine the slower ones
# measure the neighbours. The mean is printed too.
my ($best, $total);
for (1 .. $rounds) {
    my $start = clock_gettime(CLOCK_MONOTONIC);
    parse_all();
    my $t = clock_gettime(CLOCK_MONOTONIC) - $start;
    $total += $t;
    $best = $t if !defined $best || $t < $best;
}

my ($recipients, $messages) = (0, 0);
for my $n (@$found) {
    $recipients += $n;
    $messages++ if $n;
}
if (defined $counts) {
    open(my $out, '>', $counts) or die "sisimai-rate.pl: $counts: $!\n";
    print {$out} "$found->[$_]\t$paths[$_]\n" for 0 .. $#paths;
    close $out or die "sisimai-rate.pl: $counts: $!\n";
}

printf "version=%s\nperl=%vd\nfiles=%d\nmbox_messages=%d\nbytes=%d\nrounds=%d\nbest=%.6f\nmean=%.6f\n",
    $Sisimai::VERSION, $^V, scalar @texts, scalar(map { @$_ } @messages), $bytes, $rounds, $best,
    $total / $rounds;
printf "records=%d\nfiles_with_records=%d\n", $recipients, $messages;
