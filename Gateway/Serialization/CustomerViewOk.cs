using System.Reflection;
using CustomerActors.Grains.Interfaces.Customers;
using Microsoft.AspNetCore.Http.Metadata;

namespace CustomerActors.Gateway.Serialization;

/// <summary>
/// A lookup's 200 response: the JSON of a <see cref="CustomerView"/>, written straight from the customer's stored form
/// (<see cref="StoredCustomerView"/>, <see cref="ResponseSerializer.Write(System.Buffers.IBufferWriter{byte}, StoredCustomerView)"/>)
/// into the response pipe, like <see cref="JsonOk{T}"/>. Described to OpenAPI as a <see cref="CustomerView"/>, which it is.
/// </summary>
internal sealed class CustomerViewOk(StoredCustomerView view) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<StoredCustomerView>, IEndpointMetadataProvider
{
    public StoredCustomerView Value => view;

    object? IValueHttpResult.Value => view;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) =>
        JsonResults.WriteAsync(httpContext, view, static (serializer, body, view) => serializer.Write(body, view));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(CustomerView), ["application/json"]));
    }
}
