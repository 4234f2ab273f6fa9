namespace Payments.Actors.Infrastructure.Blobs;

/// <summary>
/// Section <c>Blobs</c>: the file store's directory (default <c>&lt;Platform:DataDirectory&gt;/blobs</c>), or an S3
/// bucket through the Minio client when <c>Blobs:S3:Endpoint</c> is set.
/// </summary>
public sealed class BlobOptions
{
    public const string SectionName = "Blobs";

    /// <summary>Root of the file store; empty means <c>blobs</c> under the platform's data directory.</summary>
    public string Directory { get; set; } = "";

    public S3BlobOptions S3 { get; set; } = new();
}

/// <summary>Section <c>Blobs:S3</c>. An empty <see cref="Endpoint"/> means the file store is used.</summary>
public sealed class S3BlobOptions
{
    /// <summary><c>host</c> or <c>host:port</c>, without a scheme (e.g. <c>minio.internal:9000</c>, <c>s3.eu-west-1.amazonaws.com</c>).</summary>
    public string Endpoint { get; set; } = "";

    public string Bucket { get; set; } = "payments-blobs";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>Empty lets the client find the bucket's region.</summary>
    public string Region { get; set; } = "";

    public bool UseSsl { get; set; } = true;
}
