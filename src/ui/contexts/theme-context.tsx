// Colour on or off (NO_COLOR): components ask for a colour by name and get
// undefined when colour is off, so every glyph still reads without it.
import { createContext, useContext, type ReactNode } from 'react';

export type ColorName = 'red' | 'yellow' | 'green' | 'cyan' | 'magenta' | 'gray' | 'blue';

export interface Theme {
  color: boolean;
}

const ThemeContext = createContext<Theme>({ color: true });

export function ThemeProvider({ theme, children }: { theme: Theme; children: ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/** `c('red')` is 'red' with colour on, undefined under NO_COLOR. */
export function useColor(): (name: ColorName) => ColorName | undefined {
  const { color } = useContext(ThemeContext);
  return (name) => (color ? name : undefined);
}

export { colorWanted } from '../../shared/color.js';
