import type { ButtonHTMLAttributes, ReactNode } from "react";
import type { LucideIcon } from "lucide-react";
import Link from "next/link";

const VARIANTS = {
  primary: "bg-blue-600 text-white hover:bg-blue-700 disabled:bg-blue-600/50 dark:hover:bg-blue-500",
  secondary:
    "border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:opacity-50 dark:hover:bg-red-500",
  ghost: "text-zinc-700 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800",
} as const;
const SIZES = { sm: "h-7 px-2.5 text-xs gap-1", md: "h-9 px-3.5 text-sm gap-1.5" } as const;
const ICON_SIZES = { sm: "h-3.5 w-3.5", md: "h-4 w-4" } as const;

export type ButtonVariant = keyof typeof VARIANTS;
export type ButtonSize = keyof typeof SIZES;

export function buttonClasses(variant: ButtonVariant = "primary", size: ButtonSize = "md"): string {
  return `inline-flex items-center justify-center whitespace-nowrap rounded-md font-medium transition-colors disabled:cursor-not-allowed ${VARIANTS[variant]} ${SIZES[size]}`;
}

/** The icon before a button's label, sized to the button; decorative (the label names the button). */
export function ButtonIcon({ icon: Icon, size }: { icon?: LucideIcon; size: ButtonSize }) {
  return Icon ? <Icon aria-hidden className={ICON_SIZES[size]} /> : null;
}

export function Button({
  variant = "primary",
  size = "md",
  icon,
  className = "",
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize; icon?: LucideIcon }) {
  return (
    <button className={`${buttonClasses(variant, size)} ${className}`} {...props}>
      <ButtonIcon icon={icon} size={size} />
      {children}
    </button>
  );
}

export function ButtonLink({
  href,
  variant = "primary",
  size = "md",
  icon,
  children,
  ...props
}: {
  href: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  icon?: LucideIcon;
  children: ReactNode;
  download?: boolean;
  prefetch?: boolean;
}) {
  return (
    <Link href={href} className={buttonClasses(variant, size)} {...props}>
      <ButtonIcon icon={icon} size={size} />
      {children}
    </Link>
  );
}
