using System.Collections;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;

namespace Payments.Actors.GrainTests.Serialization;

/// <summary>
/// Every type that crosses a silo boundary survives Orleans' serializer unchanged. A member without an
/// <c>[Id]</c>, or two members sharing one, only shows when a call lands on another silo; here it fails at once.
/// </summary>
public sealed class SerializerRoundTripTests
{
    private static readonly Assembly[] GrainAssemblies = [typeof(CreatePayment).Assembly, typeof(PaymentState).Assembly];

    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder =>
        {
            foreach (var assembly in GrainAssemblies)
            {
                builder.AddAssembly(assembly);
            }
        })
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    public static TheoryData<string> SampleNames
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var sample in SerializerSamples.All)
            {
                names.Add(NameOf(sample));
            }

            return names;
        }
    }

    [Fact]
    public void EverySerializableTypeOfTheGrainAssembliesHasASample()
    {
        var serializable = GrainAssemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsDefined(typeof(GenerateSerializerAttribute), inherit: false))
            .ToHashSet();
        var sampled = SerializerSamples.All.Select(s => s.GetType()).ToHashSet();

        var missing = serializable.Except(sampled).Select(t => t.FullName).Order().ToList();
        Assert.True(missing.Count == 0, $"[GenerateSerializer] types without a sample in {nameof(SerializerSamples)}: {string.Join(", ", missing)}");
        Assert.True(serializable.Count >= 40, $"Found only {serializable.Count} [GenerateSerializer] types: is the reflection looking in the right assemblies?");
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void ASampleComesBackFromTheSerializerEqualToWhatWentIn(string name)
    {
        var sample = SerializerSamples.All.Single(s => NameOf(s) == name);

        var copy = Serializer.Deserialize<object>(Serializer.SerializeToArray<object>(sample));

        Assert.IsType(sample.GetType(), copy);
        Assert.Equal(Describe(sample), Describe(copy));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void ASampleSetsEverySerializedMemberToSomethingOtherThanItsDefault(string name)
    {
        var sample = SerializerSamples.All.Single(s => NameOf(s) == name);
        var type = sample.GetType();
        if (type.IsEnum)
        {
            Assert.NotEqual(Activator.CreateInstance(type), sample);
            return;
        }

        var unset = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(IdAttribute)))
            .Where(p => IsDefault(p.GetValue(sample)))
            .Select(p => p.Name)
            .ToList();
        Assert.True(unset.Count == 0, $"{type.Name}: a dropped member would go unnoticed while these are default: {string.Join(", ", unset)}");
    }

    /// <summary>Records compare their collections by reference; JSON compares every member by value, nested ones included.</summary>
    private static string Describe(object value) => JsonSerializer.Serialize(value, value.GetType());

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        IEnumerable items => !items.GetEnumerator().MoveNext(),
        _ when value.GetType().IsValueType => value.Equals(Activator.CreateInstance(value.GetType())),
        _ => false,
    };

    private static string NameOf(object sample) => sample.GetType().Name;
}
