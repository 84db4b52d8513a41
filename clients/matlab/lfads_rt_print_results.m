function results = lfads_rt_print_results(host, port, count)
% LFADS_RT_PRINT_RESULTS  Connect to an lfads-rt rig server, subscribe to the factors, print COUNT results.
%   results = lfads_rt_print_results('127.0.0.1', 7411, 100) also returns one row per result:
%   [seq, client_drops, factors].
%   Uses credit mode when the server offers it (HANDSHAKE features bit 1): one CREDIT just before each blocking
%   read of a result, so while the caller is not reading nothing is sent, and the first result read after a
%   pause of any length is at most max_result_age_ms old; results it was not waiting for are skipped (seq gap =
%   client_drops). The fourth output column is client_drops.
%   Runs as is in MATLAB (R2019b+, tcpclient, no toolbox) and GNU Octave (package instrument-control; on
%   Debian: apt-get install octave octave-instrument-control). Frames are those of docs/protocol.md:
%   little-endian, so typecast works directly on every MATLAB and Octave platform. `make test` runs this file
%   in Octave against a live server (clients/python/tests/test_octave_client.py).
if nargin < 1, host = '127.0.0.1'; end
if nargin < 2, port = 7411; end
if nargin < 3, count = 100; end
if exist('OCTAVE_VERSION', 'builtin')
    pkg('load', 'instrument-control');
end
t = tcpclient(host, port, 'Timeout', 10);
name = uint8('matlab'); token = uint8('');
body = [typecast(uint32(hex2dec('5452464C')), 'uint8'), typecast(uint16([1 1]), 'uint8'), ...
        typecast(uint16(numel(name)), 'uint8'), name, typecast(uint16(numel(token)), 'uint8'), token];
sendFrame(t, 1, body);                                           % HELLO
[type, hs] = readFrame(t);
if type ~= 2, error('lfads-rt: expected HANDSHAKE, got frame type %d', type); end
facDim = double(typecast(hs(37:40), 'uint32'));                  % HANDSHAKE offset 44 - 8 + 1
credit = bitand(handshakeFeatures(hs), 1) ~= 0;                  % the server offers credit mode
flags = uint8(0); if credit, flags = uint8(2); end
if credit, fprintf('lfads-rt: credit mode\n'); else, fprintf('lfads-rt: push mode\n'); end
sendFrame(t, 3, [uint8(1), flags, typecast(uint16(1), 'uint8')]);   % SUBSCRIBE factors, every bin
results = zeros(count, 2 + facDim);
n = 0;
outstanding = 0;                                                 % credit granted, not yet used by a RESULT
while n < count
    if credit && outstanding == 0
        sendFrame(t, 4, typecast(uint32(1), 'uint8'));           % CREDIT 1: ready to read one result
        outstanding = 1;
    end
    [type, b] = readFrame(t);
    if type == hex2dec('7F'), error('lfads-rt: %s', char(b(5:end))); end
    if type ~= hex2dec('10'), continue; end                       % skip STATUS / HEARTBEAT
    outstanding = max(0, outstanding - 1);
    seq = typecast(b(1:8), 'uint64');                             % RESULT offset 8 - 8 + 1
    drops = double(typecast(b(57:60), 'uint32'));                 % offset 64
    nf = double(typecast(b(65:66), 'uint16'));                    % offset 72
    factors = typecast(b(73:72 + 4 * nf), 'single');              % offset 80
    fprintf('seq %d  drops %d  factors %s\n', seq, drops, mat2str(factors, 3));
    n = n + 1;
    results(n, :) = [double(seq), drops, double(factors(:)')];
end
clear t
end

function features = handshakeFeatures(hs)
    % HANDSHAKE features: the u16 after decoded_names, behind seven strings (from offset 84) and the name list;
    % absent (0) from servers before credit mode.
    p = 84 - 8 + 1;                                               % body index of stream_name
    for k = 1:7
        p = p + 2 + double(typecast(hs(p:p + 1), 'uint16'));
    end
    names = double(typecast(hs(p:p + 1), 'uint16'));
    p = p + 2;
    for k = 1:names
        p = p + 2 + double(typecast(hs(p:p + 1), 'uint16'));
    end
    features = 0;
    if numel(hs) >= p + 1, features = double(typecast(hs(p:p + 1), 'uint16')); end
end

function sendFrame(t, type, body)
    write(t, [typecast(uint32(4 + numel(body)), 'uint8'), uint8(type), uint8(1), uint8([0 0]), uint8(body)]);
end

function [type, body] = readFrame(t)
    len = double(typecast(readExactly(t, 4), 'uint32'));
    frame = readExactly(t, len);
    type = frame(1);
    body = frame(5:end);                                          % body(k) is frame offset 8 + k - 1
end

function data = readExactly(t, n)
    % MATLAB's read waits for n bytes; Octave's may return fewer before its timeout: read the rest.
    data = reshape(uint8(read(t, n, 'uint8')), 1, []);
    while numel(data) < n
        more = reshape(uint8(read(t, n - numel(data), 'uint8')), 1, []);
        if isempty(more), error('lfads-rt: connection closed or timed out mid-frame'); end
        data = [data, more]; %#ok<AGROW>
    end
end
