// A React context that must be provided: its hook fails clearly outside its
// provider instead of handing out a null.
import { createContext, useContext } from 'react';

export function requiredContext<T>(hookName: string) {
  const Context = createContext<T | null>(null);
  function useRequired(): T {
    const value = useContext(Context);
    if (value === null) throw new Error(`${hookName} must be used inside its provider`);
    return value;
  }
  return [Context.Provider, useRequired] as const;
}
