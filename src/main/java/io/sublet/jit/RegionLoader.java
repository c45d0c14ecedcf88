package io.sublet.jit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Defines generated regions as hidden classes in this package (JEP 371): not discoverable by name, and
 * unloaded once nothing refers to them, so code dropped by invalidation or eviction gives its metaspace and
 * code-cache space back.
 */
final class RegionLoader {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class, Region.Shape.class);

    private RegionLoader() { }

    static Region define(byte[] classFile, Region.Shape shape) {
        try {
            final MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(classFile, true);
            final MethodHandle make = hidden.findConstructor(hidden.lookupClass(), CONSTRUCTOR);
            return (Region) make.invoke(shape);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot define a translated region: " + e, e);
        }
    }
}
