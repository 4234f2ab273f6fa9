using System.Runtime.InteropServices;

namespace Payments.Actors.KafkaEmbedded.Mock;

/// <summary>librdkafka's C API for the mock cluster (rdkafka_mock.h, an experimental API) and the few calls it needs.</summary>
internal static partial class MockNativeMethods
{
    internal const int ProducerType = 0;

    static MockNativeMethods()
    {
        // Every DllImport of this assembly goes to the same file Confluent.Kafka uses (see LibrdkafkaNative).
        NativeLibrary.SetDllImportResolver(typeof(MockNativeMethods).Assembly, LibrdkafkaNative.Resolve);
    }

    /// <summary>Runs the static constructor (the resolver) before any P/Invoke of this class.</summary>
    internal static void Initialize()
    {
    }

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_conf_destroy")]
    internal static partial void ConfDestroy(IntPtr conf);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte[] errorText, nuint errorTextSize);

    /// <summary>On success the handle owns <paramref name="conf"/>; on failure the caller still does.</summary>
    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_new")]
    internal static partial KafkaHandle KafkaNew(int type, IntPtr conf, byte[] errorText, nuint errorTextSize);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_destroy")]
    internal static partial void KafkaDestroy(IntPtr rk);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_err2name")]
    internal static partial IntPtr ErrorName(int error);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_err2str")]
    internal static partial IntPtr ErrorText(int error);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial IntPtr ClusterNew(KafkaHandle rk, int brokerCount);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void ClusterDestroy(IntPtr cluster);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial IntPtr ClusterBootstraps(MockClusterHandle cluster);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicCreate(MockClusterHandle cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionSetLeader(MockClusterHandle cluster, string topic, int partition, int brokerId);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int BrokerSetDown(MockClusterHandle cluster, int brokerId);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int BrokerSetUp(MockClusterHandle cluster, int brokerId);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_broker_set_host_port", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BrokerSetHostPort(MockClusterHandle cluster, int brokerId, string host, int port);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void PushRequestErrors(MockClusterHandle cluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(LibrdkafkaNative.LibraryName, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    internal static partial void ClearRequestErrors(MockClusterHandle cluster, short apiKey);

    internal static string ErrorNameOf(int error) => Marshal.PtrToStringUTF8(ErrorName(error)) ?? error.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string ErrorTextOf(int error) => Marshal.PtrToStringUTF8(ErrorText(error)) ?? "";
}

/// <summary>An <c>rd_kafka_t</c>: the client instance that owns a mock cluster.</summary>
internal sealed class KafkaHandle : SafeHandle
{
    public KafkaHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        MockNativeMethods.KafkaDestroy(handle);
        return true;
    }
}

/// <summary>An <c>rd_kafka_mock_cluster_t</c>; keeps its owning <see cref="KafkaHandle"/> alive until it is destroyed.</summary>
internal sealed class MockClusterHandle : SafeHandle
{
    private readonly KafkaHandle _owner;

    public MockClusterHandle(IntPtr cluster, KafkaHandle owner)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        var added = false;
        owner.DangerousAddRef(ref added);
        _owner = owner;
        SetHandle(cluster);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        // The cluster first, then the client instance it was created on (rd_kafka_mock_cluster_new's contract).
        MockNativeMethods.ClusterDestroy(handle);
        _owner.DangerousRelease();
        return true;
    }
}
