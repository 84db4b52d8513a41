function results = lfads_rt_print_results(host, port, count)
% LFADS_RT_PRINT_RESULTS  Connect to an lfads-rt rig server, subscribe to the factors, print COUNT results.
%   results = lfads_rt_print_results('127.0.0.1', 7411, 100) also returns one row per result: [seq, factors].
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
sendFrame(t, 3, [uint8(1), uint8(0), typecast(uint16(1), 'uint8')]);   % SUBSCRIBE factors, every bin
results = zeros(count, 1 + facDim);
n = 0;
while n < count
    [type, b] = readFrame(t);
    if type == hex2dec('7F'), error('lfads-rt: %s', char(b(5:end))); end
    if type ~= hex2dec('10'), continue; end                       % skip STATUS / HEARTBEAT
    seq = typecast(b(1:8), 'uint64');                             % RESULT offset 8 - 8 + 1
    nf = double(typecast(b(65:66), 'uint16'));                    % offset 72
    factors = typecast(b(73:72 + 4 * nf), 'single');              % offset 80
    fprintf('seq %d  factors %s\n', seq, mat2str(factors, 3));
    n = n + 1;
    results(n, :) = [double(seq), double(factors(:)')];
end
clear t
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
