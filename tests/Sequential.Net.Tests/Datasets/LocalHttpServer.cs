using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SequentialNet.Tests.Datasets;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port chosen by the OS) serving fixed byte arrays by path,
/// one request per connection. Enough for the downloader; never reachable from outside the machine.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> _files;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requestCount;

    /// <summary>Starts serving <paramref name="files"/>, keyed by absolute path (e.g. <c>/data/x.gz</c>).</summary>
    public LocalHttpServer(Dictionary<string, byte[]> files)
    {
        _files = files;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The server's root URL, ending with '/'.</summary>
    public Uri Root => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>How many requests were answered so far.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with a cancellation or socket error; either is expected here.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            string? path = await ReadRequestPathAsync(stream);
            Interlocked.Increment(ref _requestCount);
            byte[]? body = path is not null && _files.TryGetValue(path, out byte[]? found) ? found : null;
            string status = body is null ? "404 Not Found" : "200 OK";
            body ??= Encoding.ASCII.GetBytes("not found");
            string head = $"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body);
        }
    }

    private static async Task<string?> ReadRequestPathAsync(NetworkStream stream)
    {
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0) return null;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        string[] requestLine = request.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length >= 2 ? requestLine[1] : null;
    }
}
