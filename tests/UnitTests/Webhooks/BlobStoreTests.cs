using System.Net;
using System.Text;
using Payments.Actors.Infrastructure.Blobs;
using Payments.Actors.UnitTests.Auth;
using Xunit;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>The file blob store on a real directory, and the S3 store's requests against a scripted S3 endpoint (no MinIO here).</summary>
public sealed class BlobStoreTests
{
    private static readonly byte[] Bytes = Encoding.UTF8.GetBytes("""{"id":"evt_1"}""");

    [Fact]
    public async Task AFileBlobPutIsReadBackByteForByteAndLeavesNoTemporaryFile()
    {
        using var directory = new TempDirectory();
        var store = new FileBlobStore(directory.Path);

        await store.PutAsync("webhooks/psp-a/2026/12/03/abc", Bytes, TestContext.Current.CancellationToken);
        await store.PutAsync("webhooks/psp-a/2026/12/03/abc", Bytes, TestContext.Current.CancellationToken);

        Assert.Equal(Bytes, await store.GetAsync("webhooks/psp-a/2026/12/03/abc", TestContext.Current.CancellationToken));
        Assert.Equal(["abc"], Directory.GetFiles(Path.Combine(directory.Path, "webhooks", "psp-a", "2026", "12", "03")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AKeyNeverStoredReadsAsNull()
    {
        using var directory = new TempDirectory();

        Assert.Null(await new FileBlobStore(directory.Path).GetAsync("webhooks/none", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("webhooks/../../etc/passwd")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("with space")]
    [InlineData("")]
    public async Task AKeyThatCouldLeaveTheStoreIsRefused(string key)
    {
        using var directory = new TempDirectory();

        Assert.False(BlobKeys.IsValid(key));
        await Assert.ThrowsAsync<ArgumentException>(() => new FileBlobStore(directory.Path).PutAsync(key, Bytes, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task APutThatCannotCreateItsDirectoryThrowsAndLeavesNoBlob()
    {
        using var directory = new TempDirectory();
        var store = new FileBlobStore(directory.Path);
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "webhooks"), "a file where a directory should be", TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<IOException>(() => store.PutAsync("webhooks/psp-a/x", Bytes, TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAsync("webhooks/psp-a/x", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void TheFileStoreIsTheDefaultAndS3IsUsedOnlyWithAnEndpoint()
    {
        Assert.IsType<FileBlobStore>(BlobStores.Create(new BlobOptions(), "/tmp/pa-data"));
        Assert.Equal(Path.GetFullPath("/tmp/pa-data/blobs"), ((FileBlobStore)BlobStores.Create(new BlobOptions(), "/tmp/pa-data")).RootDirectory);
        var s3 = BlobStores.Create(new BlobOptions { S3 = { Endpoint = "minio.invalid:9000", Bucket = "raw", AccessKey = "a", SecretKey = "b" } }, null);
        Assert.Equal("raw", Assert.IsType<S3BlobStore>(s3).Bucket);
    }

    [Fact]
    public async Task TheS3StorePutsTheBytesAsOneSignedObjectAndReadsThemBack()
    {
        var s3 = new ScriptedS3();
        var store = S3BlobStore.Create(new S3BlobOptions { Endpoint = "s3.invalid:9000", Bucket = "raw", AccessKey = "ak", SecretKey = "sk", Region = "eu-west-1", UseSsl = false },
            new HttpClient(s3));

        await store.PutAsync("webhooks/bank/2026/12/03/abc", Bytes, TestContext.Current.CancellationToken);
        var read = await store.GetAsync("webhooks/bank/2026/12/03/abc", TestContext.Current.CancellationToken);

        var put = Assert.Single(s3.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal("/raw/webhooks/bank/2026/12/03/abc", put.Path);
        Assert.Equal(Bytes, put.Body);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ak/", put.Authorization, StringComparison.Ordinal);
        Assert.Equal(Bytes, read);
    }

    [Fact]
    public async Task TheS3StoreReadsAMissingObjectAsNull()
    {
        var store = S3BlobStore.Create(new S3BlobOptions { Endpoint = "s3.invalid:9000", Bucket = "raw", AccessKey = "ak", SecretKey = "sk", Region = "eu-west-1", UseSsl = false },
            new HttpClient(new ScriptedS3()));

        Assert.Null(await store.GetAsync("webhooks/none", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnS3ErrorOnPutIsThrownNotSwallowed()
    {
        var store = S3BlobStore.Create(new S3BlobOptions { Endpoint = "s3.invalid:9000", Bucket = "raw", AccessKey = "ak", SecretKey = "sk", Region = "eu-west-1", UseSsl = false },
            new HttpClient(new ScriptedS3 { FailPuts = true }));

        await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync("webhooks/x", Bytes, TestContext.Current.CancellationToken));
    }

    /// <summary>An S3 endpoint in memory: PUT stores, GET returns what was stored or NoSuchKey.</summary>
    private sealed class ScriptedS3 : HttpMessageHandler
    {
        private readonly Dictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

        public bool FailPuts { get; init; }

        public List<(HttpMethod Method, string Path, byte[] Body, string Authorization)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add((request.Method, path, body, request.Headers.TryGetValues("Authorization", out var authorization) ? string.Join(",", authorization) : ""));
            if (request.Method == HttpMethod.Put)
            {
                if (FailPuts)
                {
                    return Error(HttpStatusCode.ServiceUnavailable, "SlowDown", path);
                }

                _objects[path] = body;
                var ok = new HttpResponseMessage(HttpStatusCode.OK);
                ok.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"etag-1\"");
                return ok;
            }

            if (request.Method == HttpMethod.Head && path.Trim('/').IndexOf('/', StringComparison.Ordinal) < 0)
            {
                // The bucket exists.
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            }

            if (request.Method == HttpMethod.Head)
            {
                // The client states an object before it reads it.
                var head = new HttpResponseMessage(_objects.TryGetValue(path, out var found) ? HttpStatusCode.OK : HttpStatusCode.NotFound)
                {
                    Content = new ByteArrayContent([]),
                };
                if (found is not null)
                {
                    head.Content.Headers.ContentLength = found.Length;
                    head.Content.Headers.LastModified = DateTimeOffset.UtcNow;
                    head.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"etag-1\"");
                }

                return head;
            }

            if (request.Method == HttpMethod.Get && _objects.TryGetValue(path, out var stored))
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(stored) };
            }

            return Error(HttpStatusCode.NotFound, "NoSuchKey", path);
        }

        private static HttpResponseMessage Error(HttpStatusCode status, string code, string path) => new(status)
        {
            Content = new StringContent(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code}</Message><Resource>{path}</Resource><RequestId>1</RequestId></Error>",
                Encoding.UTF8, "application/xml"),
        };
    }
}
